namespace HarmoniousFeedback;

/// <summary>An experiment spec names an unknown model/transform or has invalid hyperparameters.</summary>
public sealed class ExperimentSpecException : HarmoniousFeedbackException
{
    public ExperimentSpecException(string message) : base(message) { }
}
