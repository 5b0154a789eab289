namespace HarmoniousFeedback;

/// <summary>A MIDI file is truncated, corrupt, or violates the Standard MIDI File specification.</summary>
public sealed class MidiFormatException : HarmoniousFeedbackException
{
    public string? Path { get; }
    public MidiFormatException(string? path, string problem, Exception? inner = null)
        : base(path is null ? problem : $"{path}: {problem}", inner) => Path = path;
}
