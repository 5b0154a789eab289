namespace HarmoniousFeedback.Nn;

/// <summary>
/// The autograd tape was used in a way it cannot honour: <c>Backward()</c> on a tensor that does not require a gradient,
/// or clearing <c>RequiresGrad</c> on a non-leaf tensor. The message says which tensor and what was expected.
/// </summary>
public sealed class AutogradException : HarmoniousFeedbackException
{
    public AutogradException(string message) : base(message) { }
}
