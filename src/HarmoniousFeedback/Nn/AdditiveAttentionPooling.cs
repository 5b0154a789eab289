using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// Additive (Bahdanau) attention pooling over a sequence h [B, T, D]:
/// e[b,t] = vᵀ·tanh(W·h[b,t] + b), a[b,:] = softmax over t (e = −∞ for t ≥ lengths[b]), c[b] = Σ_t a[b,t]·h[b,t].
/// Parameters: <c>W</c> [A, D], <c>b</c> [A], <c>v</c> [A]; init U(−1/√D, 1/√D) for W and b, U(−1/√A, 1/√A) for v.
/// </summary>
public sealed class AdditiveAttentionPooling : Module, IOnnxExportable
{
    public int Dim { get; }
    public int AttnDim { get; }
    public Tensor W { get; }
    public Tensor B { get; }
    public Tensor V { get; }

    public AdditiveAttentionPooling(int dim, int attnDim, SplitMix64? rng = null)
    {
        rng ??= NnRandom.Create();
        Dim = dim; AttnDim = attnDim;
        W = RegisterParameter("W", Tensor.Zeros(attnDim, dim)); Init.Uniform(W, 1f / MathF.Sqrt(dim), rng);
        B = RegisterParameter("b", Tensor.Zeros(attnDim)); Init.Uniform(B, 1f / MathF.Sqrt(dim), rng);
        V = RegisterParameter("v", Tensor.Zeros(attnDim)); Init.Uniform(V, 1f / MathF.Sqrt(attnDim), rng);
    }

    /// <summary>h [B, T, D] → (context [B, D], weights [B, T]).</summary>
    public (Tensor Context, Tensor Weights) Forward(Tensor h, int[]? lengths = null)
    {
        if (h.Rank != 3 || h.Shape[2] != Dim) throw new ShapeMismatchException($"AdditiveAttentionPooling(dim {Dim}) expects h [B, T, {Dim}], got {Tensor.ShapeString(h.Shape)}");
        int bsz = h.Shape[0], t = h.Shape[1];
        var u = (Tensor.BatchMatMul(h, W, false, true) + B).Tanh();           // [B, T, A]
        var e = Tensor.MatMul(u, V.Reshape(AttnDim, 1)).Reshape(bsz, t);      // [B, T]
        if (lengths is not null)
        {
            if (lengths.Length != bsz) throw new ShapeMismatchException($"{lengths.Length} lengths for a batch of {bsz}");
            e = e.MaskedFill(F.LengthsToPaddingMask(lengths, t), float.NegativeInfinity);
        }
        var a = e.Softmax(-1);
        var c = Tensor.MatMul(a.Reshape(bsz, 1, t), h).Reshape(bsz, Dim);  // [B, D]
        return (c, a);
    }

    /// <summary>
    /// ONNX: (h [B, T, D], lengths? int32 [B]) → (context [B, D], weights [B, T]):
    /// <c>Tanh(MatMul(h, W_t) + b)</c>, <c>MatMul</c> with <c>v</c>, <c>Where(t ≥ length, −∞, e)</c>, <c>Softmax(axis 1)</c>, then
    /// <c>MatMul</c> of the weights with h. Initializers <c>W_t</c> [D, A] (Wᵀ), <c>b</c>, <c>v</c>.
    /// </summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 1, "AdditiveAttentionPooling(h, lengths?)");
        var h = inputs[0];
        var lengths = OnnxGraphBuilder.Optional(inputs, 1);
        graph.CheckRank(h, 3, "AdditiveAttentionPooling");
        graph.CheckDim(h, 2, Dim, $"AdditiveAttentionPooling(dim {Dim})");
        var hs = graph.ShapeOf(h);
        OnnxDim[]? bt = hs is null ? null : [hs[0], hs[1]];
        var u = graph.Unary("Tanh", graph.LinearOp(h, W, B, "W", "b"));                // [B, T, A]
        var e = graph.Op("MatMul", [u, graph.Initializer("v", V)]);                      // [B, T]
        graph.SetShape(e, bt);
        if (lengths is not null) e = graph.MaskedFillNegativeInfinity(e, graph.PaddingMask(lengths, h, 1));
        var a = graph.Softmax(e, 1);
        var c = graph.Squeeze(graph.Op("MatMul", [graph.Unsqueeze(a, 1), h]), 1);       // [B, 1, T]·[B, T, D] → [B, D]
        graph.SetShape(c, hs is null ? null : [hs[0], Dim]);
        return [c, a];
    }
}
