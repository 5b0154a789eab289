namespace HarmoniousFeedback.Data;

/// <summary>One clip of a <see cref="Manifest"/>. Paths are relative to the prepared folder when inside it, else absolute.</summary>
public sealed record ManifestClip
{
    public required string Id { get; init; }
    public required string Label { get; init; }
    public required string Group { get; init; }
    /// <summary>"train", "val", "test" or null.</summary>
    public string? Split { get; init; }
    public double? Valence { get; init; }
    public double? Arousal { get; init; }
    public string? Text { get; init; }
    public required string Audio { get; init; }
    public string? Midi { get; init; }
    /// <summary>Lower-case hex SHA-256 of the MIDI file's bytes (null for audio-only clips).</summary>
    public string? MidiSha256 { get; init; }
    /// <summary>Lower-case hex SHA-256 of a user's audio source file (folder datasets; equal to <see cref="AudioSha256"/> for WAV copies), else null.</summary>
    public string? SourceSha256 { get; init; }
    /// <summary>Lower-case hex SHA-256 of the audio (WAV) file's bytes.</summary>
    public required string AudioSha256 { get; init; }
    /// <summary><see cref="Midi.Rendering.RenderCache.Key"/> of the render (null for audio-only clips).</summary>
    public string? RenderKey { get; init; }
    /// <summary>Numeric targets by name (<see cref="Clip.Targets"/>); null for datasets without them.</summary>
    public IReadOnlyDictionary<string, double>? Targets { get; init; }
    /// <summary>Renderer name (<see cref="Clip.Renderer"/>) when the manifest lists several renderers; else null.</summary>
    public string? Renderer { get; init; }
    /// <summary>Reference audio (<see cref="Clip.ReferenceAudioPath"/>), relative to the folder; else null.</summary>
    public string? ReferenceAudio { get; init; }
    /// <summary>Lower-case hex SHA-256 of the reference audio file.</summary>
    public string? ReferenceAudioSha256 { get; init; }
    /// <summary>Reference MIDI (<see cref="Clip.ReferenceMidiPath"/>), relative to the folder; else null.</summary>
    public string? ReferenceMidi { get; init; }
    /// <summary>Lower-case hex SHA-256 of the reference MIDI file.</summary>
    public string? ReferenceMidiSha256 { get; init; }

    /// <summary>True when any of the fields added for multi-renderer, reference-based datasets is set.</summary>
    internal bool HasExtensions => Targets is not null || Renderer is not null || ReferenceAudio is not null || ReferenceMidi is not null;
}
