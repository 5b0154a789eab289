namespace HarmoniousFeedback.Nn.Export;

/// <summary>
/// The default inputs and output names of an exportable model (<see cref="IOnnxExportableModel"/>), e.g. an LSTM
/// classifier's <c>x ["batch", "time", 50] float</c> and <c>lengths ["batch"] int32</c> →
/// <c>logits</c>, <c>attention_weights</c>. <see cref="Metadata"/> goes into the model's <c>metadata_props</c>.
/// </summary>
public sealed record OnnxSignature(IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<string> Outputs)
{
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];
}
