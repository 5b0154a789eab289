namespace HarmoniousFeedback;

/// <summary>An audio file is truncated, corrupt, of an unsupported encoding, or not audio at all.</summary>
public sealed class AudioFormatException : HarmoniousFeedbackException
{
    public string? Path { get; }
    public AudioFormatException(string? path, string problem, Exception? inner = null)
        : base(path is null ? problem : $"{path}: {problem}", inner) => Path = path;
}
