using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// Predicts the emotional factors e = (tone, sentiment, engagement) of a performance from clip statistics of its
/// spectrogram — so the attention works at inference with only a recording and a score. With the reference stream the
/// reference's statistics are appended (the score's intended character is part of what the factors measure).
/// <code>
///   μ(ω) = Σ_τ m(τ)X(τ,ω) / Σ_τ m(τ),  σ(ω) = √(Σ_τ m(τ)(X(τ,ω) − μ(ω))² / Σ_τ m(τ) + 10⁻⁵)     m = valid-frame mask
///   φ    = [μ_X; σ_X] (2M)  or  [μ_X; σ_X; μ_R; σ_R] (4M) with the reference
///   e    = tanh(W₂ ReLU(W₁ φ + b₁) + b₂)  ∈ (−1, 1)³          [B, 3]
/// </code>
/// Trained with MSE against the corpus's tone, sentiment and engagement targets (docs/feedback.md).
/// ONNX (<see cref="ExportOnnx"/>): inputs (x, r?, mask, counts) as <see cref="Forward"/>, r present only
/// <see cref="WithReference"/>; <c>ReduceSum</c>/<c>Div</c>/<c>Sqrt</c> for the statistics, <c>Gemm</c>, <c>Relu</c>, <c>Tanh</c>.
/// </summary>
public sealed class EmotionFactorBranch : Module, IOnnxExportable
{
    public const int FactorCount = 3;

    public EmotionFactorBranch(int nMels, bool withReference, int hidden, SplitMix64 rng)
    {
        NMels = nMels;
        WithReference = withReference;
        Hidden = RegisterModule("hidden", new Linear((withReference ? 4 : 2) * nMels, hidden, rng: rng));
        Output = RegisterModule("output", new Linear(hidden, FactorCount, rng: rng));
    }

    public int NMels { get; }
    public bool WithReference { get; }
    public Linear Hidden { get; }
    public Linear Output { get; }

    /// <summary>x, r [B, 1, M, T] (r null without reference), mask [B, 1, 1, T] (1 = valid frame), counts [B, 1, 1, 1] = Σ mask → e [B, 3].</summary>
    public Tensor Forward(Tensor x, Tensor? r, Tensor mask, Tensor counts)
    {
        var parts = new List<Tensor>();
        parts.AddRange(Stats(x, mask, counts));
        if (WithReference)
            parts.AddRange(Stats(r ?? throw new ShapeMismatchException("EmotionFactorBranch: built with the reference stream but no reference given"), mask, counts));
        var phi = Tensor.Concat(parts, 1);                                  // [B, 2M or 4M]
        return Output.Forward(Hidden.Forward(phi).Relu()).Tanh();
    }

    /// <summary>ONNX: (x, r [only with the reference], mask, counts) → e [B, 3]; the same formula as <see cref="Forward"/>.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        int n = WithReference ? 4 : 3;
        graph.CheckInputs(inputs, n, 0, WithReference ? "EmotionFactorBranch(x, r, mask, counts)" : "EmotionFactorBranch(x, mask, counts)");
        string mask = inputs[n - 2], counts = inputs[n - 1];
        var parts = new List<string>();
        parts.AddRange(OnnxStats(graph, inputs[0], mask, counts));
        if (WithReference) parts.AddRange(OnnxStats(graph, inputs[1], mask, counts));
        var phi = graph.Concat(parts, 1);                                   // [B, 2M or 4M]
        var hidden = graph.Unary("Relu", graph.Emit(Hidden, "hidden", phi)[0]);
        return [graph.Unary("Tanh", graph.Emit(Output, "output", hidden)[0])];
    }

    private string[] OnnxStats(OnnxGraphBuilder graph, string x, string mask, string counts)
    {
        graph.CheckRank(x, 4, "EmotionFactorBranch");
        graph.CheckDim(x, 2, NMels, $"EmotionFactorBranch(M={NMels})");
        var mean = graph.Binary("Div", graph.ReduceSum(graph.Binary("Mul", x, mask), [3], keepDims: true), counts);   // [B, 1, M, 1]
        var centred = graph.Binary("Mul", graph.Binary("Sub", x, mean), mask);
        var variance = graph.Binary("Div", graph.ReduceSum(graph.Binary("Mul", centred, centred), [3], keepDims: true), counts);
        var std = graph.Unary("Sqrt", graph.Binary("Add", variance, graph.FloatConstant(1e-5f)));
        return [graph.Reshape(mean, 0, NMels), graph.Reshape(std, 0, NMels)];
    }

    private Tensor[] Stats(Tensor x, Tensor mask, Tensor counts)
    {
        int b = x.Shape[0];
        var mean = (x * mask).Sum(3, keepDim: true) / counts;               // [B, 1, M, 1]
        var centred = (x - mean) * mask;
        var std = ((centred * centred).Sum(3, keepDim: true) / counts + 1e-5f).Sqrt();
        return [mean.Reshape(b, NMels), std.Reshape(b, NMels)];
    }
}
