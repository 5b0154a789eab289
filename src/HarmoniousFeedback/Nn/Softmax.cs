namespace HarmoniousFeedback.Nn;

/// <summary>softmax over <c>dim</c>.</summary>
public sealed class Softmax(int dim = -1) : UnaryModule { public override Tensor Forward(Tensor x) => x.Softmax(dim); }
