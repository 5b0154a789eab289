namespace HarmoniousFeedback.Nn.Export;

/// <summary>
/// A network with a fixed signature — named, shaped inputs and named outputs — so it exports without the caller
/// describing its inputs (<see cref="OnnxGraphBuilder.Export"/> with default <see cref="OnnxExportOptions"/>).
/// Trained pipeline models implement it to be exportable by <c>hfb model export</c>.
/// </summary>
public interface IOnnxExportableModel : IOnnxExportable
{
    /// <summary>Default graph inputs (in <see cref="IOnnxExportable.ExportOnnx"/> order), output names and metadata.</summary>
    OnnxSignature OnnxSignature { get; }
}
