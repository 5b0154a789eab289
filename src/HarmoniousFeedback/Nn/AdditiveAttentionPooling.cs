namespace HarmoniousFeedback.Nn;

/// <summary>
/// Additive (Bahdanau) attention pooling over a sequence h [B, T, D]:
/// e[b,t] = vᵀ·tanh(W·h[b,t] + b), a[b,:] = softmax over t (e = −∞ for t ≥ lengths[b]), c[b] = Σ_t a[b,t]·h[b,t].
/// Parameters: <c>W</c> [A, D], <c>b</c> [A], <c>v</c> [A]; init U(−1/√D, 1/√D) for W and b, U(−1/√A, 1/√A) for v.
/// </summary>
public sealed class AdditiveAttentionPooling : Module
{
    public int Dim { get; }
    public int AttnDim { get; }
    public Tensor W { get; }
    public Tensor B { get; }
    public Tensor V { get; }

    public AdditiveAttentionPooling(int dim, int attnDim, Random? rng = null)
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
}
