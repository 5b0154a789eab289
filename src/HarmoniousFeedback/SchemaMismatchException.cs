namespace HarmoniousFeedback;

/// <summary>A pipeline column is missing or has the wrong type/shape; raised at schema time before any work.</summary>
public sealed class SchemaMismatchException : HarmoniousFeedbackException
{
    public SchemaMismatchException(string message) : base(message) { }
}
