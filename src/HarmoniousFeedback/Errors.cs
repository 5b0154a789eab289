namespace HarmoniousFeedback;

/// <summary>
/// Root of the project's exception family. Every error the toolkit raises on bad input derives from this,
/// so callers can catch precisely (a subclass) or broadly (this type). Messages name the file, parameter or
/// column that was wrong, the actual value, and what is allowed.
/// </summary>
public class HarmoniousFeedbackException : Exception
{
    public HarmoniousFeedbackException(string message) : base(message) { }
    public HarmoniousFeedbackException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>An audio file is truncated, corrupt, of an unsupported encoding, or not audio at all.</summary>
public sealed class AudioFormatException : HarmoniousFeedbackException
{
    public string? Path { get; }
    public AudioFormatException(string? path, string problem, Exception? inner = null)
        : base(path is null ? problem : $"{path}: {problem}", inner) => Path = path;
}

/// <summary>A MIDI file is truncated, corrupt, or violates the Standard MIDI File specification.</summary>
public sealed class MidiFormatException : HarmoniousFeedbackException
{
    public string? Path { get; }
    public MidiFormatException(string? path, string problem, Exception? inner = null)
        : base(path is null ? problem : $"{path}: {problem}", inner) => Path = path;
}

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

/// <summary>Invalid feature-extraction parameters (n_fft, hop, mel range, ...).</summary>
public sealed class FeatureParameterException : OptionsValidationException
{
    public FeatureParameterException(string optionsType, IReadOnlyList<string> problems) : base(optionsType, problems) { }
}

/// <summary>A dataset folder, manifest or clip list is missing, malformed or inconsistent.</summary>
public sealed class DatasetException : HarmoniousFeedbackException
{
    public DatasetException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>An external program the toolkit can delegate to (ffmpeg, fluidsynth) is not installed.</summary>
public sealed class ExternalToolException : HarmoniousFeedbackException
{
    public string Tool { get; }
    public ExternalToolException(string tool, string message, Exception? inner = null) : base(message, inner) => Tool = tool;
}

/// <summary>Shapes of tensors or arrays do not fit an operation.</summary>
public sealed class ShapeMismatchException : HarmoniousFeedbackException
{
    public ShapeMismatchException(string message) : base(message) { }
}

/// <summary>A pipeline column is missing or has the wrong type/shape; raised at schema time before any work.</summary>
public sealed class SchemaMismatchException : HarmoniousFeedbackException
{
    public SchemaMismatchException(string message) : base(message) { }
}

/// <summary>A model or checkpoint file is corrupt, truncated, of the wrong version or for another model.</summary>
public sealed class CheckpointException : HarmoniousFeedbackException
{
    public CheckpointException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Training produced NaN/Inf; the message names the epoch/step and the offending quantity.</summary>
public sealed class TrainingDivergedException : HarmoniousFeedbackException
{
    public TrainingDivergedException(string message) : base(message) { }
}

/// <summary>An experiment spec names an unknown model/transform or has invalid hyperparameters.</summary>
public sealed class ExperimentSpecException : HarmoniousFeedbackException
{
    public ExperimentSpecException(string message) : base(message) { }
}

/// <summary>Collects validation problems and throws one exception listing all of them (NWaves' Errors pattern).</summary>
public sealed class OptionsValidator
{
    private readonly List<string> _problems = new();
    private readonly string _typeName;
    public OptionsValidator(string typeName) => _typeName = typeName;

    public OptionsValidator Check(bool ok, string problem)
    {
        if (!ok) _problems.Add(problem);
        return this;
    }

    /// <summary>Adds "name = value must be in [min, max]" when <paramref name="value"/> is outside.</summary>
    public OptionsValidator InRange(string name, double value, double min, double max)
        => Check(!double.IsNaN(value) && value >= min && value <= max,
            $"{name} = {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be in [{min.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}]");

    public OptionsValidator Positive(string name, double value)
        => Check(value > 0, $"{name} = {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be > 0");

    public IReadOnlyList<string> Problems => _problems;

    public void ThrowIfAny()
    {
        if (_problems.Count > 0) throw new OptionsValidationException(_typeName, _problems.ToArray());
    }

    public void ThrowFeatureIfAny()
    {
        if (_problems.Count > 0) throw new FeatureParameterException(_typeName, _problems.ToArray());
    }
}
