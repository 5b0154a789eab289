namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Inputs to a metric, report or test do not fit together: different lengths, nothing to score, a prediction
/// set that is not paired with another, a label outside the declared classes. The message names the argument
/// and the actual values.
/// </summary>
public sealed class MetricInputException : HarmoniousFeedbackException
{
    /// <summary>The argument (or field) that was wrong, e.g. <c>predicted</c>, <c>probabilities</c>.</summary>
    public string Argument { get; }

    public MetricInputException(string argument, string problem) : base($"{argument}: {problem}") => Argument = argument;
}
