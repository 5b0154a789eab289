using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// The HFN's emotional attention: emotional-factor intensities e = (tone, sentiment, engagement) become a
/// low-dimensional embedding, which — with the spectrogram itself — yields an attention map A(τ, ω) that re-weights the
/// spectrogram, S(τ, ω) = |X(τ, ω)|·A(τ, ω).
/// <code>
///   z      = b + Σᵢ eᵢ·uᵢ                                   factor embedding, b, uᵢ ∈ ℝᵈ          z [B, d]
///   g(ω)   = (W_g z + c_g)[ω]                               per-frequency gate logits             [B, 1, M, 1]
///   φ(τ)   = (E(τ), max(0, E(τ) − E(τ−1))),  E(τ) = (1/M)Σ_ω X(τ, ω)   frame energy and onset strength  [B, 1, 1, T] each
///   h(τ)   = (W_h z + c_h)·φ(τ)                             per-time gate logits                  [B, 1, 1, T]
///   k(τ,ω) = (K ∗ X)(τ, ω) + c_k                            3×3 spectro-temporal salience (Conv2d 1→1, padding 1)  [B, 1, M, T]
///   A      = 2·σ(g + h + k)  ∈ (0, 2)                       A = 1 where the logits are 0
///   S      = X ⊙ A
/// </code>
/// X is the (non-negative, normalised) log-mel magnitude [B, 1, M, T] (batch, channel, mel bin ω, frame τ); e is
/// [B, 3] or null — without factors (the "no emotional factors" ablation) z = b for every clip, so A depends on the
/// spectrogram only. The factor of 2 makes the map neutral (A = 1) at zero logits rather than halving the input.
/// Parameter names: <c>base_embedding</c> [d], <c>factor_embeddings</c> [F, d], <c>frequency_gate.weight</c> [M, d],
/// <c>time_gate.weight</c> [2, d], <c>salience.weight</c> [1, 1, 3, 3] (+ biases).
/// ONNX (<see cref="ExportOnnx"/>): (x, factors?) → A, with <c>MatMul</c>/<c>Gemm</c>, <c>ReduceMean</c>, <c>Slice</c> +
/// <c>Concat</c> for E(τ − 1) (E(−1) = E(0)), <c>Conv</c>, <c>Sigmoid</c>; the time axis may be dynamic.
/// </summary>
public sealed class EmotionAttention : Module, IOnnxExportable
{
    /// <param name="nMels">M, the mel bins.</param>
    /// <param name="factors">F, the number of emotional factors (3: tone, sentiment, engagement).</param>
    /// <param name="embeddingDim">d.</param>
    /// <param name="rng">Initialisation (PyTorch's defaults; embeddings N(0, 1/d)).</param>
    public EmotionAttention(int nMels, int factors, int embeddingDim, SplitMix64 rng)
    {
        NMels = nMels;
        Factors = factors;
        BaseEmbedding = RegisterParameter("base_embedding", Tensor.Zeros(embeddingDim));
        FactorEmbeddings = RegisterParameter("factor_embeddings", Tensor.Zeros(factors, embeddingDim));
        Init.Normal(BaseEmbedding, 1f / MathF.Sqrt(embeddingDim), rng);
        Init.Normal(FactorEmbeddings, 1f / MathF.Sqrt(embeddingDim), rng);
        FrequencyGate = RegisterModule("frequency_gate", new Linear(embeddingDim, nMels, rng: rng));
        TimeGate = RegisterModule("time_gate", new Linear(embeddingDim, 2, rng: rng));
        Salience = RegisterModule("salience", new Conv2d(1, 1, 3, stride: 1, padding: 1, rng: rng));
    }

    public int NMels { get; }
    public int Factors { get; }
    public Tensor BaseEmbedding { get; }
    public Tensor FactorEmbeddings { get; }
    public Linear FrequencyGate { get; }
    public Linear TimeGate { get; }
    public Conv2d Salience { get; }

    /// <summary>z = b + e·U: [B, d] (or [1, d] without factors).</summary>
    public Tensor Embed(Tensor? factors)
    {
        int d = BaseEmbedding.Shape[0];
        var b = BaseEmbedding.Reshape(1, d);
        if (factors is null) return b;
        if (factors.Rank != 2 || factors.Shape[1] != Factors)
            throw new ShapeMismatchException($"EmotionAttention: factors must be [B, {Factors}], got {Tensor.ShapeString(factors.Shape)}");
        return Tensor.MatMul(factors, FactorEmbeddings) + b;
    }

    /// <summary>ONNX: (x [B, 1, M, T], factors [B, F] or "") → A [B, 1, M, T]; the same formula and summation order as <see cref="Forward"/>.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 1, "EmotionAttention(x, factors?)");
        var x = inputs[0];
        var factors = OnnxGraphBuilder.Optional(inputs, 1);
        graph.CheckRank(x, 4, "EmotionAttention");
        graph.CheckDim(x, 1, 1, "EmotionAttention");
        graph.CheckDim(x, 2, NMels, $"EmotionAttention(M={NMels})");
        int d = BaseEmbedding.Shape[0];
        string z;                                                                       // [B or 1, d]
        if (factors is null) z = graph.Reshape(graph.Initializer("base_embedding", BaseEmbedding), 1, d);
        else
        {
            graph.CheckRank(factors, 2, "EmotionAttention factors");
            graph.CheckDim(factors, 1, Factors, $"EmotionAttention(F={Factors})");
            var mm = graph.Op("MatMul", [factors, graph.Initializer("factor_embeddings", FactorEmbeddings)]);
            graph.SetShape(mm, [graph.ShapeOf(factors)?[0] ?? OnnxDim.Unknown, d]);
            z = graph.Binary("Add", mm, graph.Initializer("base_embedding", BaseEmbedding));
        }
        var g = graph.Reshape(graph.Emit(FrequencyGate, "frequency_gate", z)[0], 0, 1, NMels, 1);   // [B, 1, M, 1]
        var w = graph.Emit(TimeGate, "time_gate", z)[0];                                            // [B, 2]
        var w0 = graph.Reshape(graph.Slice(w, [0], [1], [1]), 0, 1, 1, 1);
        var w1 = graph.Reshape(graph.Slice(w, [1], [2], [1]), 0, 1, 1, 1);
        var energy = graph.ReduceMean(x, [2], keepDims: true);                                       // [B, 1, 1, T]
        // E(τ − 1) with E(−1) = E(0): [E(0), E(0 … T−2)]; for T = 1 the second slice is empty and the onset is 0, as in Forward
        var previous = graph.Concat([graph.Slice(energy, [0], [1], [3]), graph.Slice(energy, [0], [-1], [3])], 3);
        graph.SetShape(previous, graph.ShapeOf(energy));
        var onset = graph.Unary("Relu", graph.Binary("Sub", energy, previous));
        var h = graph.Binary("Add", graph.Binary("Mul", energy, w0), graph.Binary("Mul", onset, w1));
        var k = graph.Emit(Salience, "salience", x)[0];                                              // [B, 1, M, T]
        var logits = graph.Binary("Add", graph.Binary("Add", k, g), h);
        return [graph.Binary("Mul", graph.Unary("Sigmoid", logits), graph.FloatConstant(2f))];
    }

    /// <summary>The attention map A [B, 1, M, T] for spectrogram <paramref name="x"/> [B, 1, M, T] and factor intensities <paramref name="factors"/> [B, F] (or null).</summary>
    public Tensor Forward(Tensor x, Tensor? factors)
    {
        if (x.Rank != 4 || x.Shape[1] != 1 || x.Shape[2] != NMels)
            throw new ShapeMismatchException($"EmotionAttention: the spectrogram must be [B, 1, {NMels}, T], got {Tensor.ShapeString(x.Shape)}");
        int t = x.Shape[3];
        var z = Embed(factors);                                            // [B or 1, d]
        int bz = z.Shape[0];
        var g = FrequencyGate.Forward(z).Reshape(bz, 1, NMels, 1);         // [B, 1, M, 1]
        var w = TimeGate.Forward(z);                                       // [B, 2]
        var energy = x.Mean(2, keepDim: true);                             // [B, 1, 1, T]
        var previous = t > 1 ? Tensor.Concat([energy.Narrow(3, 0, 1), energy.Narrow(3, 0, t - 1)], 3) : energy;
        var onset = (energy - previous).Relu();                            // [B, 1, 1, T]
        var h = energy * w.Narrow(1, 0, 1).Reshape(bz, 1, 1, 1) + onset * w.Narrow(1, 1, 1).Reshape(bz, 1, 1, 1);
        var k = Salience.Forward(x);                                       // [B, 1, M, T]
        return (k + g + h).Sigmoid() * 2f;
    }
}
