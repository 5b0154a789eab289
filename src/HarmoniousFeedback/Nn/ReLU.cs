using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>ReLU: max(x, 0). ONNX: <c>Relu</c>.</summary>
public sealed class ReLU : UnaryModule, IOnnxExportable
{
    public override Tensor Forward(Tensor x) => x.Relu();
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxGraphBuilder.UnaryLayer(graph, inputs, "ReLU", "Relu");
}
