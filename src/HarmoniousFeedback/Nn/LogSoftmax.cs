using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>log-softmax over <c>dim</c>. ONNX: <c>LogSoftmax(axis = dim)</c>.</summary>
public sealed class LogSoftmax(int dim = -1) : UnaryModule, IOnnxExportable
{
    /// <summary>The normalised dimension.</summary>
    public int Dim => dim;
    public override Tensor Forward(Tensor x) => x.LogSoftmax(dim);
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxGraphBuilder.UnaryLayer(graph, inputs, "LogSoftmax", "LogSoftmax", OnnxAttribute.Of("axis", (long)dim));
}
