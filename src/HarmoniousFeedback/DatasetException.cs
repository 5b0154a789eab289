namespace HarmoniousFeedback;

/// <summary>A dataset folder, manifest or clip list is missing, malformed or inconsistent.</summary>
public sealed class DatasetException : HarmoniousFeedbackException
{
    public DatasetException(string message, Exception? inner = null) : base(message, inner) { }
}
