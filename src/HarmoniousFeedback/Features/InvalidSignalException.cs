namespace HarmoniousFeedback.Features;

/// <summary>
/// The audio handed to a feature extractor is unusable: it contains NaN or ±Infinity samples. (Empty, very short and
/// all-zero signals are valid and give defined outputs; see docs/features.md "Bad input".)
/// </summary>
public sealed class InvalidSignalException : HarmoniousFeedbackException
{
    public InvalidSignalException(string message) : base(message) { }
}
