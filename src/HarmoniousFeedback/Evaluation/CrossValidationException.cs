namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// A cross-validation splitter cannot produce the requested folds for these inputs (more folds than samples,
/// groups or members of a class; a single class; an empty fold). <see cref="OptionsValidationException.Problems"/>
/// lists every problem, each naming the field, its value and the allowed values.
/// </summary>
public sealed class CrossValidationException : OptionsValidationException
{
    public CrossValidationException(string splitter, IReadOnlyList<string> problems) : base(splitter, problems) { }
}
