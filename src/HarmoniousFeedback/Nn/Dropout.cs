using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary><c>nn.Dropout</c>: in training zeroes each element with probability p and scales the rest by 1/(1−p); identity in eval.</summary>
public sealed class Dropout : UnaryModule, IOnnxExportable
{
    private readonly NnRng _rng;
    public float P { get; }
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="seed">Seed of the mask generator (its state is saved in checkpoints as <c>rng.dropout</c>).</param>
    public Dropout(float p = 0.5f, int seed = 0)
    {
        if (!(p >= 0 && p < 1)) throw new OptionsValidationException(nameof(Dropout), [$"p = {p} must be in [0, 1)"]);
        P = p; _rng = RegisterRng("dropout", new NnRng(seed));
    }
    public override Tensor Forward(Tensor x) => F.Dropout(x, P, Training, _rng);

    /// <summary>ONNX: the identity (inference); no node is written.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "Dropout(x)");
        return [inputs[0]];
    }
}
