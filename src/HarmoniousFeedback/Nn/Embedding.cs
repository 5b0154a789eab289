namespace HarmoniousFeedback.Nn;

/// <summary>
/// <c>nn.Embedding</c>: y[..., :] = weight[indices[...], :]. With <c>padding_idx</c> the gradient of that row is
/// always 0 (the forward still reads it; it is initialised to zeros). <c>weight</c> [num, dim], init N(0, 1).
/// </summary>
public sealed class Embedding : Module
{
    public Tensor Weight { get; }
    public int? PaddingIdx { get; }

    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, Random? rng = null)
    {
        rng ??= NnRandom.Create();
        if (paddingIdx is { } p && (p < 0 || p >= numEmbeddings)) throw new OptionsValidationException(nameof(Embedding), [$"padding_idx = {p} must be in [0, {numEmbeddings}) (num_embeddings = {numEmbeddings})"]);
        Weight = RegisterParameter("weight", Tensor.Randn(rng, numEmbeddings, embeddingDim));
        PaddingIdx = paddingIdx;
        if (paddingIdx is { } pi) Weight.Data.Slice(pi * embeddingDim, embeddingDim).Clear();
    }

    /// <summary>indices of any shape → [..., dim].</summary>
    public Tensor Forward(ReadOnlySpan<long> indices, params int[] indicesShape) => Weight.IndexSelectRows(indices, indicesShape, PaddingIdx ?? -1);
}
