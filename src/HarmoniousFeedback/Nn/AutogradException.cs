namespace HarmoniousFeedback.Nn;

/// <summary>
/// The autograd tape was used in a way it cannot honour: <c>Backward()</c> on a tensor that does not require a gradient,
/// clearing <c>RequiresGrad</c> on a non-leaf tensor, or an op defined through <see cref="Tensor.FromOp"/> whose backward
/// returned the wrong number of gradients or a gradient of the wrong shape. The message says which tensor or op and what
/// was expected.
/// </summary>
public sealed class AutogradException : HarmoniousFeedbackException
{
    public AutogradException(string message) : base(message) { }
}
