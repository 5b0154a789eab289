using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>softmax over <c>dim</c>. ONNX: <c>Softmax(axis = dim)</c> (opset 13+ semantics: one axis).</summary>
public sealed class Softmax(int dim = -1) : UnaryModule, IOnnxExportable
{
    /// <summary>The normalised dimension.</summary>
    public int Dim => dim;
    public override Tensor Forward(Tensor x) => x.Softmax(dim);
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxGraphBuilder.UnaryLayer(graph, inputs, "Softmax", "Softmax", OnnxAttribute.Of("axis", (long)dim));
}
