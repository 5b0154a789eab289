namespace HarmoniousFeedback;

/// <summary>
/// Root of the project's exception family. Every error the toolkit raises on bad input derives from this,
/// so callers can catch precisely (a subclass) or broadly (this type). Messages name the file, parameter or
/// column that was wrong, the actual value, and what is allowed.
/// </summary>
public class HarmoniousFeedbackException : Exception
{
    public HarmoniousFeedbackException(string message) : base(message) { }
    public HarmoniousFeedbackException(string message, Exception? inner) : base(message, inner) { }
}
