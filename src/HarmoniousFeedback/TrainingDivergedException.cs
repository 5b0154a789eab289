namespace HarmoniousFeedback;

/// <summary>Training produced NaN/Inf; the message names the epoch/step and the offending quantity.</summary>
public sealed class TrainingDivergedException : HarmoniousFeedbackException
{
    public TrainingDivergedException(string message) : base(message) { }
}
