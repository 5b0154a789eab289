namespace HarmoniousFeedback.Nn.Export;

/// <summary>
/// A finished ONNX graph in the toolkit's dependency-free form: what <see cref="OnnxGraphBuilder"/> produces and the
/// <c>HarmoniousFeedback.Onnx</c> project serialises to an ONNX <c>ModelProto</c> (one graph, the default
/// <c>ai.onnx</c> operator set at <see cref="Opset"/>, <see cref="IrVersion"/> the lowest IR version that opset needs).
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>The lowest opset exported (ONNX 1.12: <c>LayerNormalization</c>, <c>BatchNormalization</c> without training outputs).</summary>
    public const int MinOpset = 17;

    /// <summary>The highest opset exported and tested (ONNX 1.18).</summary>
    public const int MaxOpset = 23;

    internal OnnxGraph(string name, int opset, IReadOnlyList<OnnxNode> nodes, IReadOnlyList<OnnxTensor> initializers,
        IReadOnlyList<OnnxValueInfo> inputs, IReadOnlyList<OnnxValueInfo> outputs, IReadOnlyList<KeyValuePair<string, string>> metadata, string? docString)
    {
        Name = name; Opset = opset; IrVersion = IrVersionFor(opset); Nodes = nodes; Initializers = initializers;
        Inputs = inputs; Outputs = outputs; Metadata = metadata; DocString = docString;
    }

    public string Name { get; }
    /// <summary>Version of the default operator set (<c>opset_import</c> for domain "").</summary>
    public int Opset { get; }
    /// <summary>The model's <c>ir_version</c>: the IR version of the ONNX release that introduced <see cref="Opset"/>.</summary>
    public int IrVersion { get; }
    /// <summary>Nodes in topological order (every input is a graph input, an initializer or an earlier node's output).</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }
    public IReadOnlyList<OnnxTensor> Initializers { get; }
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }
    /// <summary>Model-level <c>metadata_props</c> (e.g. <c>classes</c> of a classifier, the source model type).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; }
    public string? DocString { get; }

    /// <summary>
    /// The IR version of the ONNX release that introduced <paramref name="opset"/> (onnx/helper.py <c>VERSION_TABLE</c>):
    /// 17–18 → 8, 19–20 → 9, 21–22 → 10, 23 → 11. Older runtimes reject a model whose IR version is newer than they know,
    /// so the exporter writes the lowest one that fits.
    /// </summary>
    /// <exception cref="OnnxExportException">An opset outside [<see cref="MinOpset"/>, <see cref="MaxOpset"/>].</exception>
    public static int IrVersionFor(int opset) => opset switch
    {
        17 or 18 => 8,
        19 or 20 => 9,
        21 or 22 => 10,
        23 => 11,
        _ => throw new OnnxExportException($"opset {opset} is not supported: the exporter writes opsets {MinOpset} to {MaxOpset}"),
    };

    /// <summary>The number of float values in non-scalar initializers (the weights; scalar constants such as −∞ are not counted).</summary>
    public long ParameterCount => Initializers.Where(t => t.Dims.Count > 0).Sum(t => (long)(t.FloatData?.Length ?? 0));
}
