using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// <c>nn.Embedding</c>: y[..., :] = weight[indices[...], :]. With <c>padding_idx</c> the gradient of that row is
/// always 0 (the forward still reads it; it is initialised to zeros). <c>weight</c> [num, dim], init N(0, 1).
/// </summary>
public sealed class Embedding : Module, IOnnxExportable
{
    public Tensor Weight { get; }
    public int? PaddingIdx { get; }

    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, SplitMix64? rng = null)
    {
        rng ??= NnRandom.Create();
        if (paddingIdx is { } p && (p < 0 || p >= numEmbeddings)) throw new OptionsValidationException(nameof(Embedding), [$"padding_idx = {p} must be in [0, {numEmbeddings}) (num_embeddings = {numEmbeddings})"]);
        Weight = RegisterParameter("weight", Tensor.Randn(rng, numEmbeddings, embeddingDim));
        PaddingIdx = paddingIdx;
        if (paddingIdx is { } pi) Weight.Data.Slice(pi * embeddingDim, embeddingDim).Clear();
    }

    /// <summary>indices of any shape → [..., dim].</summary>
    public Tensor Forward(ReadOnlySpan<long> indices, params int[] indicesShape) => Weight.IndexSelectRows(indices, indicesShape, PaddingIdx ?? -1);

    /// <summary>ONNX: (indices, int64 or int32, any shape) → ([..., dim]) as <c>Gather(weight, indices, axis = 0)</c>.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "Embedding(indices)");
        var y = graph.Op("Gather", [graph.Initializer("weight", Weight), inputs[0]], OnnxAttribute.Of("axis", 0L));
        graph.SetShape(y, graph.ShapeOf(inputs[0]) is { } s ? [.. s, Weight.Shape[1]] : null);
        return [y];
    }
}
