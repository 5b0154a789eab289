namespace HarmoniousFeedback.Nn;

/// <summary>tanh.</summary>
public sealed class Tanh : UnaryModule { public override Tensor Forward(Tensor x) => x.Tanh(); }
