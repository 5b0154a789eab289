using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// <c>nn.LayerNorm</c> over the last dim: y = (x − mean)/√(var + eps)·weight + bias, var biased.
/// <c>weight</c> (ones) and <c>bias</c> (zeros) have shape [normalized].
/// </summary>
public sealed class LayerNorm : UnaryModule, IOnnxExportable
{
    public int NormalizedShape { get; }
    public float Eps { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public LayerNorm(int normalizedShape, float eps = 1e-5f)
    {
        NormalizedShape = normalizedShape; Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Ones(normalizedShape));
        Bias = RegisterParameter("bias", Tensor.Zeros(normalizedShape));
    }
    public override Tensor Forward(Tensor x) => F.LayerNorm(x, Weight, Bias, Eps);

    /// <summary>ONNX: (x) → (y) as <c>LayerNormalization(axis = −1, epsilon)</c> (opset 17).</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "LayerNorm(x)");
        graph.CheckDim(inputs[0], -1, NormalizedShape, $"LayerNorm({NormalizedShape})");
        var y = graph.Op("LayerNormalization", [inputs[0], graph.Initializer("weight", Weight), graph.Initializer("bias", Bias)],
            OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("epsilon", Eps));
        graph.SetShape(y, graph.ShapeOf(inputs[0]));
        return [y];
    }
}
