using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>
/// Fusion by self-attention over modality tokens: each modality's encoder gives one token z_m [B, d]; a learned fusion
/// token c (the [CLS] of BERT/ViT) and a learned modality embedding e_m are added, and L pre-norm Transformer layers
/// (<see cref="TokenSelfAttentionLayer"/>) let every token read every other:
/// <code>
/// H⁰ = [c ; z_1 + e_1 ; … ; z_M + e_M]            [B, M + 1, d]
/// Hˡ = TokenSelfAttentionLayer(Hˡ⁻¹, mask)        l = 1 … L
/// fused = LayerNorm(H^L[:, 0])                    [B, d]
/// </code>
/// The weights returned are the fusion token's attention over the modality tokens in the last layer (averaged over heads),
/// renormalised over the modalities — a_m / Σ_m' a_m', leaving out what the token gives itself — [B, M], each row summing
/// to 1 over the modalities present: how much each modality contributed to the fused representation of a clip.
/// A modality mask [B, M] (nonzero = absent, e.g. modality dropout during training) removes tokens from every key set.
/// Parameters: <c>cls</c> [1, 1, d], <c>modality_embedding</c> [M, d] (both N(0, 0.02²), as BERT), <c>layers.k.*</c>, <c>norm.*</c>.
/// </summary>
public sealed class ModalityAttentionFusion : Module
{
    private readonly TokenSelfAttentionLayer[] _layers;

    public ModalityAttentionFusion(int modalities, int dim, int heads, int layers, float dropout, SplitMix64 rng, int seed)
    {
        Modalities = modalities;
        Dim = dim;
        Cls = RegisterParameter("cls", Tensor.Zeros(1, 1, dim));
        Init.Normal(Cls, 0.02f, rng);
        ModalityEmbedding = RegisterParameter("modality_embedding", Tensor.Zeros(modalities, dim));
        Init.Normal(ModalityEmbedding, 0.02f, rng);
        _layers = new TokenSelfAttentionLayer[layers];
        for (int l = 0; l < layers; l++)
            _layers[l] = RegisterModule($"layers.{l}", new TokenSelfAttentionLayer(dim, heads, dropout, rng, seed + 101 * (l + 1)));
        Norm = RegisterModule("norm", new LayerNorm(dim));
    }

    public int Modalities { get; }
    public int Dim { get; }
    public Tensor Cls { get; }
    public Tensor ModalityEmbedding { get; }
    public IReadOnlyList<TokenSelfAttentionLayer> Layers => _layers;
    public LayerNorm Norm { get; }

    /// <summary>tokens [B, M, d], modality mask [B, M] (nonzero = absent) or null → (fused [B, d], weights over modalities [B, M]).</summary>
    public (Tensor Fused, Tensor Weights) Forward(Tensor tokens, Tensor? modalityMask = null)
    {
        if (tokens.Rank != 3 || tokens.Shape[1] != Modalities || tokens.Shape[2] != Dim)
            throw new ShapeMismatchException($"ModalityAttentionFusion(M={Modalities}, d={Dim}) expects tokens [B, {Modalities}, {Dim}], got {Tensor.ShapeString(tokens.Shape)}");
        int b = tokens.Shape[0];
        var h = Tensor.Concat([Tensor.Zeros(b, 1, Dim) + Cls, tokens + ModalityEmbedding], 1);   // [B, M + 1, d]
        Tensor? mask = null;
        if (modalityMask is not null)
        {
            var m = new float[b * (Modalities + 1)];
            var src = modalityMask.Data;
            for (int i = 0; i < b; i++)
                for (int j = 0; j < Modalities; j++) m[i * (Modalities + 1) + j + 1] = src[i * Modalities + j];
            mask = new Tensor(m, b, Modalities + 1);
        }
        Tensor w = Tensor.Zeros(b, Modalities + 1, Modalities + 1);
        foreach (var layer in _layers) (h, w) = layer.Forward(h, mask);
        var toModalities = w.Select(1, 0).Narrow(1, 1, Modalities);                             // [B, M]: the fusion token's row without itself
        var weights = toModalities / toModalities.Sum(1, keepDim: true);                       // renormalised over the modalities
        return (Norm.Forward(h.Select(1, 0)), weights);
    }
}
