namespace HarmoniousFeedback.Nn;

/// <summary>GELU, exact (erf) or the tanh approximation.</summary>
public sealed class GELU(bool tanhApproximation = false) : UnaryModule { public override Tensor Forward(Tensor x) => x.Gelu(tanhApproximation); }
