using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>
/// One pre-norm Transformer encoder layer over a short set of tokens (PyTorch's <c>nn.TransformerEncoderLayer</c> with
/// <c>norm_first=True</c>, <c>batch_first=True</c>, GELU, feed-forward width 2d):
/// <code>
/// h ← h + Dropout(MHA(LN₁(h), LN₁(h), LN₁(h), key_padding_mask))
/// h ← h + Dropout(W₂ · Dropout(GELU(W₁ · LN₂(h) + b₁)) + b₂)
/// </code>
/// h [B, N, d] → h' [B, N, d]; also returns the attention weights averaged over heads [B, N, N] (row i: how much token i
/// reads token j). Masked tokens (mask [B, N], nonzero = absent) are never read. Parameter names: <c>norm1.*</c>,
/// <c>self_attn.in_proj_weight</c>, <c>self_attn.out_proj.*</c>, <c>norm2.*</c>, <c>linear1.*</c>, <c>linear2.*</c> (PyTorch's).
/// </summary>
public sealed class TokenSelfAttentionLayer : Module
{
    public TokenSelfAttentionLayer(int dim, int heads, float dropout, SplitMix64 rng, int seed)
    {
        Norm1 = RegisterModule("norm1", new LayerNorm(dim));
        SelfAttention = RegisterModule("self_attn", new MultiheadAttention(dim, heads, rng));
        Norm2 = RegisterModule("norm2", new LayerNorm(dim));
        Linear1 = RegisterModule("linear1", new Linear(dim, 2 * dim, rng: rng));
        Linear2 = RegisterModule("linear2", new Linear(2 * dim, dim, rng: rng));
        Drop = RegisterModule("dropout", new Dropout(dropout, seed));
    }

    public LayerNorm Norm1 { get; }
    public MultiheadAttention SelfAttention { get; }
    public LayerNorm Norm2 { get; }
    public Linear Linear1 { get; }
    public Linear Linear2 { get; }
    public Dropout Drop { get; }

    /// <summary>h [B, N, d], mask [B, N] or null → (h' [B, N, d], weights [B, N, N]).</summary>
    public (Tensor Output, Tensor Weights) Forward(Tensor h, Tensor? keyPaddingMask)
    {
        var n = Norm1.Forward(h);
        var (a, w) = SelfAttention.Forward(n, n, n, keyPaddingMask);
        h = h + Drop.Forward(a);
        var f = Linear2.Forward(Drop.Forward(Linear1.Forward(Norm2.Forward(h)).Gelu()));
        return (h + Drop.Forward(f), w);
    }
}
