using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>tanh. ONNX: <c>Tanh</c>.</summary>
public sealed class Tanh : UnaryModule, IOnnxExportable
{
    public override Tensor Forward(Tensor x) => x.Tanh();
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxGraphBuilder.UnaryLayer(graph, inputs, "Tanh", "Tanh");
}
