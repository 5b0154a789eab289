using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// Modality dropout (ModDrop; Neverova et al., "ModDrop: adaptive multi-modal gesture recognition", IEEE TPAMI 2016):
/// in training, each sample's row of x [batch, features] — one modality's part of a fused representation — is zeroed
/// with probability p, whole, and the kept rows are left as they are (not rescaled: the model is to learn to decide
/// from the other modalities alone, not to see a louder copy of this one); the identity in eval.
/// <code>
///   y[b, :] = m_b · x[b, :],   m_b ~ Bernoulli(1 − p) per sample (training);   y = x (eval)
/// </code>
/// </summary>
public sealed class ModalityDropout : UnaryModule, IOnnxExportable
{
    private readonly NnRng _rng;

    /// <param name="p">Probability of dropping a sample's row, in [0, 1).</param>
    /// <param name="seed">Seed of the mask generator (its state is saved in checkpoints as <c>rng.modality</c>).</param>
    public ModalityDropout(float p, int seed = 0)
    {
        if (!(p >= 0 && p < 1)) throw new OptionsValidationException(nameof(ModalityDropout), [$"p = {p} must be in [0, 1)"]);
        P = p;
        _rng = RegisterRng("modality", new NnRng(seed));
    }

    /// <summary>The probability of dropping a sample's row.</summary>
    public float P { get; }

    /// <exception cref="ShapeMismatchException">x is not [batch, features].</exception>
    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 2) throw new ShapeMismatchException($"ModalityDropout expects [batch, features], got {Tensor.ShapeString(x.Shape)}");
        if (!Training || P == 0f) return x;
        var mask = new float[x.Shape[0]];
        for (int b = 0; b < mask.Length; b++) mask[b] = _rng.NextDouble() < P ? 0f : 1f;
        return x * new Tensor(mask, mask.Length, 1);
    }

    /// <summary>ONNX: the identity (inference); no node is written.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "ModalityDropout(x)");
        return [inputs[0]];
    }
}
