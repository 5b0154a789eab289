namespace HarmoniousFeedback.Plotting;

/// <summary>A figure cannot be drawn or saved as asked (mismatched data lengths, log axis with non-positive data, ...).</summary>
public sealed class FigureException : HarmoniousFeedbackException
{
    public FigureException(string message, Exception? inner = null) : base(message, inner) { }
}
