using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// Flattens all dims from <c>startDim</c> (default 1, keeping the batch). ONNX: <c>Flatten(axis = 1)</c> for
/// startDim 1, otherwise <c>Reshape</c> to [0, …, 0, −1] (startDim zeros: those dims are copied).
/// </summary>
public sealed class Flatten(int startDim = 1) : UnaryModule, IOnnxExportable
{
    /// <summary>The first flattened dimension.</summary>
    public int StartDim => startDim;

    public override Tensor Forward(Tensor x) => x.Flatten(startDim);

    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "Flatten(x)");
        var x = inputs[0];
        int start = startDim;
        if (start < 0)
        {
            int rank = graph.RankOf(x) ?? throw new OnnxExportException($"Flatten({startDim}) at '{graph.Scope}' needs the input rank to resolve a negative start dim, and it is unknown");
            start += rank;
        }
        if (start == 1)
        {
            var y = graph.Op("Flatten", [x], OnnxAttribute.Of("axis", 1L));
            var s = graph.ShapeOf(x);
            graph.SetShape(y, s is null ? null
                : [s[0], s.Skip(1).All(d => d.IsFixed) ? OnnxDim.Fixed(s.Skip(1).Aggregate(1, (p, d) => p * d.Value!.Value)) : OnnxDim.Unknown]);
            return [y];
        }
        return [graph.Reshape(x, [.. Enumerable.Repeat(0L, start), -1L])];
    }
}
