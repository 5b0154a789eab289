namespace HarmoniousFeedback.Nn;

/// <summary>ReLU: max(x, 0).</summary>
public sealed class ReLU : UnaryModule { public override Tensor Forward(Tensor x) => x.Relu(); }
