using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>
/// The private text encoder of <see cref="JointAudioText"/>: trained embeddings over a per-fold vocabulary
/// (<see cref="Features.Text.TextVocabulary"/>: 0 = PAD, 1 = UNK, 2 = MASK, then the training tokens) and attention pooling:
/// <code>
/// ids [B, L] ─► Embedding(V, d, padding_idx 0) ─► e [B, L, d] ─► Dropout ─► AdditiveAttentionPooling (valid tokens only) ─► z [B, d]
/// </code>
/// e_l = E[id_l]; α = softmax_l(vᵀ tanh(W e_l + b)) over l &lt; length; z = Σ_l α_l e_l. A clip without text is one PAD token
/// (length 1): E[PAD] is fixed at 0, so z = 0 — "no text" carries no signal of its own. Embeddings are initialised
/// N(0, 1)·0.1 (the small-init variant of <c>nn.Embedding</c>; N(0, 1) rows swamp attention at d = 64).
/// Parameter names: <c>embedding.weight</c> [V, d], <c>attn.W</c>, <c>attn.b</c>, <c>attn.v</c>.
/// </summary>
public sealed class TextEncoder : Module
{
    public TextEncoder(int vocabularySize, int dim, float dropout, SplitMix64 rng, int seed)
    {
        VocabularySize = vocabularySize;
        Dim = dim;
        Embedding = RegisterModule("embedding", new Embedding(vocabularySize, dim, paddingIdx: 0, rng: rng));
        var w = Embedding.Weight.Data;
        for (int i = 0; i < w.Length; i++) w[i] *= 0.1f;
        Drop = RegisterModule("dropout", new Dropout(dropout, seed));
        Attention = RegisterModule("attn", new AdditiveAttentionPooling(dim, Math.Max(1, dim / 2), rng));
    }

    public int VocabularySize { get; }
    public int Dim { get; }
    public Embedding Embedding { get; }
    public Dropout Drop { get; }
    public AdditiveAttentionPooling Attention { get; }

    /// <summary>ids [B·L] row-major (vocabulary ids, PAD after each row's length), lengths [B] (≥ 1) → (z [B, d], weights over tokens [B, L]).</summary>
    public (Tensor Token, Tensor Weights) Forward(long[] ids, int batch, int maxLength, int[] lengths)
    {
        if (ids.Length != batch * maxLength) throw new ShapeMismatchException($"TextEncoder: {ids.Length} ids for a batch of {batch} × {maxLength}");
        foreach (var id in ids)
            if (id < 0 || id >= VocabularySize) throw new ShapeMismatchException($"TextEncoder: token id {id} outside the vocabulary [0, {VocabularySize})");
        var e = Drop.Forward(Embedding.Forward(ids, batch, maxLength));   // [B, L, d]
        return Attention.Forward(e, lengths);
    }
}
