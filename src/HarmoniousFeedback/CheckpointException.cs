namespace HarmoniousFeedback;

/// <summary>A model or checkpoint file is corrupt, truncated, of the wrong version or for another model.</summary>
public sealed class CheckpointException : HarmoniousFeedbackException
{
    public CheckpointException(string message, Exception? inner = null) : base(message, inner) { }
}
