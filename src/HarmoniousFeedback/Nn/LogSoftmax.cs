namespace HarmoniousFeedback.Nn;

/// <summary>log-softmax over <c>dim</c>.</summary>
public sealed class LogSoftmax(int dim = -1) : UnaryModule { public override Tensor Forward(Tensor x) => x.LogSoftmax(dim); }
