namespace HarmoniousFeedback.Nn;

public static partial class F
{
    /// <summary>Bool-like mask [B, T] (1 = padded) from lengths: mask[b, t] = t ≥ lengths[b].</summary>
    public static Tensor LengthsToPaddingMask(ReadOnlySpan<int> lengths, int maxLen)
    {
        var m = new float[lengths.Length * maxLen];
        for (int b = 0; b < lengths.Length; b++)
        {
            if (lengths[b] < 1 || lengths[b] > maxLen) throw new ShapeMismatchException($"lengths[{b}] = {lengths[b]} is outside [1, {maxLen}] (the sequence dimension)");
            for (int t = lengths[b]; t < maxLen; t++) m[b * maxLen + t] = 1;
        }
        return new Tensor(m, lengths.Length, maxLen);
    }

    /// <summary>
    /// Scaled dot-product attention: S = Q·Kᵀ/√d_k; S[b, i, j] = −∞ where keyPaddingMask[b, j] (nonzero = padded key)
    /// or attnMask[i, j] (nonzero = not allowed); attn = softmax over keys; out = attn·V.
    /// q [B, Tq, d], k [B, Tk, d], v [B, Tk, dv] → (out [B, Tq, dv], attn [B, Tq, Tk]). A query row whose keys are
    /// all masked gets zero weights (PyTorch would give NaN).
    /// </summary>
    public static (Tensor Output, Tensor Weights) ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor? keyPaddingMask = null, Tensor? attnMask = null)
    {
        if (q.Rank != 3 || k.Rank != 3 || v.Rank != 3 || q.Shape[2] != k.Shape[2] || k.Shape[1] != v.Shape[1] || q.Shape[0] != k.Shape[0] || k.Shape[0] != v.Shape[0])
            throw new ShapeMismatchException($"attention expects q [B, Tq, d], k [B, Tk, d], v [B, Tk, dv]; got {Tensor.ShapeString(q.Shape)}, {Tensor.ShapeString(k.Shape)}, {Tensor.ShapeString(v.Shape)}");
        var s = Tensor.BatchMatMul(q, k, false, true) * (1f / MathF.Sqrt(q.Shape[2]));
        if (keyPaddingMask is not null) s = s.MaskedFill(keyPaddingMask.Reshape(k.Shape[0], 1, k.Shape[1]), float.NegativeInfinity);
        if (attnMask is not null) s = s.MaskedFill(attnMask, float.NegativeInfinity);
        var a = s.Softmax(-1);
        return (Tensor.MatMul(a, v), a);
    }
}
