namespace HarmoniousFeedback.Nn;

/// <summary>Logistic sigmoid.</summary>
public sealed class Sigmoid : UnaryModule { public override Tensor Forward(Tensor x) => x.Sigmoid(); }
