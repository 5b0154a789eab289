using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>Logistic sigmoid. ONNX: <c>Sigmoid</c>.</summary>
public sealed class Sigmoid : UnaryModule, IOnnxExportable
{
    public override Tensor Forward(Tensor x) => x.Sigmoid();
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxGraphBuilder.UnaryLayer(graph, inputs, "Sigmoid", "Sigmoid");
}
