namespace HarmoniousFeedback;

/// <summary>
/// One or more options have invalid values. <see cref="Problems"/> lists every problem found (not only the
/// first), each naming the parameter, its value and the allowed range.
/// </summary>
public class OptionsValidationException : HarmoniousFeedbackException
{
    public IReadOnlyList<string> Problems { get; }
    public OptionsValidationException(string optionsType, IReadOnlyList<string> problems)
        : base($"Invalid {optionsType}: " + string.Join("; ", problems)) => Problems = problems;
}
