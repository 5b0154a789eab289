namespace HarmoniousFeedback;

/// <summary>Invalid feature-extraction parameters (n_fft, hop, mel range, ...).</summary>
public sealed class FeatureParameterException : OptionsValidationException
{
    public FeatureParameterException(string optionsType, IReadOnlyList<string> problems) : base(optionsType, problems) { }
}
