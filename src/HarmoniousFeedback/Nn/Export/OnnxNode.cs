namespace HarmoniousFeedback.Nn.Export;

/// <summary>
/// One operator application (ONNX <c>NodeProto</c>): the op type of the default domain (<c>"Conv"</c>, <c>"LSTM"</c>, …),
/// a unique node name, value names in and out (an empty string marks an omitted optional input) and attributes.
/// </summary>
public sealed record OnnxNode(string OpType, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes)
{
    /// <summary>The operator set domain; "" is the default ONNX domain (<c>ai.onnx</c>).</summary>
    public string Domain { get; init; } = "";

    public override string ToString() => $"{Name}: {OpType}({string.Join(", ", Inputs)}) -> {string.Join(", ", Outputs)}";
}
