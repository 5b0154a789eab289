namespace HarmoniousFeedback;

/// <summary>An external program the toolkit can delegate to (ffmpeg, fluidsynth) is not installed.</summary>
public sealed class ExternalToolException : HarmoniousFeedbackException
{
    public string Tool { get; }
    public ExternalToolException(string tool, string message, Exception? inner = null) : base(message, inner) => Tool = tool;
}
