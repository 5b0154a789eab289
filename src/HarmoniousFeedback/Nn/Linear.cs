using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// <c>nn.Linear</c>: y = x·Wᵀ + b over the last dim of any-rank x. <c>weight</c> [out, in], <c>bias</c> [out].
/// Init U(−1/√in, 1/√in) for both, as PyTorch (kaiming_uniform with a = √5 gives the same bound).
/// </summary>
public sealed class Linear : UnaryModule, IOnnxExportable
{
    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public Linear(int inFeatures, int outFeatures, bool bias = true, SplitMix64? rng = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new OptionsValidationException(nameof(Linear), [$"in_features = {inFeatures}, out_features = {outFeatures}: both must be > 0"]);
        rng ??= NnRandom.Create();
        InFeatures = inFeatures; OutFeatures = outFeatures;
        float bound = 1f / MathF.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Zeros(outFeatures, inFeatures));
        Init.Uniform(Weight, bound, rng);
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.Zeros(outFeatures));
            Init.Uniform(Bias, bound, rng);
        }
    }

    /// <summary>x [..., in] → [..., out].</summary>
    public override Tensor Forward(Tensor x)
    {
        if (x.Rank == 0 || x.Shape[^1] != InFeatures)
            throw new ShapeMismatchException($"Linear({InFeatures}→{OutFeatures}) got input of shape {Tensor.ShapeString(x.Shape)}; last dim must be {InFeatures}");
        var y = Tensor.BatchMatMul(x, Weight, false, true);
        return Bias is null ? y : y + Bias;
    }

    /// <summary>ONNX: (x) → (y). <c>Gemm(transB = 1)</c> on 2-D input with <c>weight</c>/<c>bias</c> as stored, else <c>MatMul</c> with <c>weight_t</c> [in, out] and <c>Add</c>.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "Linear(x)");
        graph.CheckDim(inputs[0], -1, InFeatures, $"Linear({InFeatures}→{OutFeatures})");
        return [graph.LinearOp(inputs[0], Weight, Bias)];
    }
}
