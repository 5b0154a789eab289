namespace HarmoniousFeedback;

/// <summary>Shapes of tensors or arrays do not fit an operation.</summary>
public sealed class ShapeMismatchException : HarmoniousFeedbackException
{
    public ShapeMismatchException(string message) : base(message) { }
}
