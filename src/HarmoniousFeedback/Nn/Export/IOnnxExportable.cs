namespace HarmoniousFeedback.Nn.Export;

/// <summary>
/// A module (or model) that can write its inference computation as ONNX nodes. Given the value names of its inputs it
/// adds nodes and initializers to the graph builder and returns the value names of its outputs.
/// </summary>
/// <remarks>
/// <para>Convention: inputs and outputs are positional and follow the module's <c>Forward</c> — tensor parameters in
/// order (an <c>int[] lengths</c> parameter becomes an int32 [batch] value), outputs in the order of the returned tuple.
/// An optional input that is not given is passed as <c>""</c>. The module's own parameters are added with
/// <see cref="OnnxGraphBuilder.Initializer(string, Tensor)"/> under their state-dict names (the builder prefixes the
/// module path), children are emitted with <see cref="OnnxGraphBuilder.Emit"/>.</para>
/// <para>The graph is always the inference computation (PyTorch's <c>torch.onnx.export</c> in eval mode): dropout is the
/// identity and batch normalisation uses the running statistics, whatever <see cref="Module.Training"/> says.</para>
/// <para>Adding a new model: implement this interface on the module (emit children through
/// <see cref="OnnxGraphBuilder.Emit"/>, use ONNX ops otherwise), and <see cref="IOnnxExportableModel"/> when the model
/// has a fixed signature; then test it against ONNX Runtime as tests/HarmoniousFeedback.Onnx.Tests does for every layer.</para>
/// </remarks>
public interface IOnnxExportable
{
    /// <summary>Emits this module's nodes; see the type remarks for the input/output convention.</summary>
    /// <exception cref="OnnxExportException">Wrong number of inputs, a missing required input, or a configuration ONNX cannot express.</exception>
    IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs);
}

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
