using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// GELU, exact (x·Φ(x) = 0.5·x·(1 + erf(x/√2))) or the tanh approximation (0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))).
/// ONNX: the <c>Gelu</c> op (<c>approximate</c> = "none"/"tanh") from opset 20; below it, the formula in
/// <c>Div</c>/<c>Erf</c>/<c>Tanh</c>/<c>Mul</c>/<c>Add</c> nodes (as <c>torch.onnx</c> writes it).
/// </summary>
public sealed class GELU(bool tanhApproximation = false) : UnaryModule, IOnnxExportable
{
    /// <summary>True for the tanh approximation (PyTorch <c>approximate='tanh'</c>).</summary>
    public bool TanhApproximation => tanhApproximation;

    public override Tensor Forward(Tensor x) => x.Gelu(tanhApproximation);

    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "GELU(x)");
        var x = inputs[0];
        if (graph.Opset >= 20) return [graph.Unary("Gelu", x, OnnxAttribute.Of("approximate", tanhApproximation ? "tanh" : "none"))];
        string inner;
        if (tanhApproximation)
        {
            var cube = graph.Binary("Mul", graph.Binary("Mul", x, x), x);
            var poly = graph.Binary("Add", x, graph.Binary("Mul", cube, graph.FloatConstant(0.044715f)));
            inner = graph.Unary("Tanh", graph.Binary("Mul", poly, graph.FloatConstant(MathF.Sqrt(2f / MathF.PI))));
        }
        else inner = graph.Unary("Erf", graph.Binary("Div", x, graph.FloatConstant(MathF.Sqrt(2f))));
        var y = graph.Binary("Mul", graph.Binary("Mul", x, graph.Binary("Add", inner, graph.FloatConstant(1f))), graph.FloatConstant(0.5f));
        return [y];
    }
}
