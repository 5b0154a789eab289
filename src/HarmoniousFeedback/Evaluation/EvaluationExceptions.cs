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

/// <summary>
/// A cross-validation splitter cannot produce the requested folds for these inputs (more folds than samples,
/// groups or members of a class; a single class; an empty fold). <see cref="OptionsValidationException.Problems"/>
/// lists every problem, each naming the field, its value and the allowed values.
/// </summary>
public sealed class CrossValidationException : OptionsValidationException
{
    public CrossValidationException(string splitter, IReadOnlyList<string> problems) : base(splitter, problems) { }
}
