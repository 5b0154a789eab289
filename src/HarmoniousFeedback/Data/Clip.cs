using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Data;

/// <summary>
/// One labelled item of a dataset. Sources are lazy: <see cref="AudioPath"/> / <see cref="MidiPath"/> name files that
/// are read only when asked (<see cref="LoadAudio"/>).
/// <para>
/// <b>The label reaches a model only as the target.</b> <see cref="Label"/> (and <see cref="Valence"/>/<see cref="Arousal"/>)
/// are targets; <see cref="Id"/> and the file names may contain the label (EMOPIA's <c>Q1_…</c> prefix) and are meant
/// for bookkeeping only, never as features; <see cref="Text"/> and <see cref="GroupId"/> never carry it (loaders
/// guarantee it and tests check it).
/// </para>
/// </summary>
public sealed record Clip
{
    /// <summary>Unique id within the dataset, safe as a file name (letters, digits, '-', '_', '.').</summary>
    public required string Id { get; init; }

    /// <summary>The unit that must stay within one fold: the song (EMOPIA YouTube id), game/piece (VGMIDI), motif family (synthetic).</summary>
    public required string GroupId { get; init; }

    /// <summary>Class label, e.g. "Q1" … "Q4" (Russell quadrants).</summary>
    public required string Label { get; init; }

    /// <summary>Valence in [−1, 1] when the source provides one (VGMIDI signs, synthetic latent value).</summary>
    public double? Valence { get; init; }

    /// <summary>Arousal in [−1, 1] when the source provides one.</summary>
    public double? Arousal { get; init; }

    /// <summary>Audio file (WAV); null until the dataset has been prepared (rendered) for MIDI-only sources.</summary>
    public string? AudioPath { get; init; }

    /// <summary>MIDI file the audio is rendered from, when the source is symbolic.</summary>
    public string? MidiPath { get; init; }

    /// <summary>Free text of the clip (EMOPIA: the song's YouTube title, tags and description). Never contains the label.</summary>
    public string? Text { get; init; }

    /// <summary>Official split, or null when the source has none.</summary>
    public Split? Split { get; init; }

    /// <summary>
    /// Further numeric targets by name, when the dataset has them (the teaching-feedback corpus: the six feedback scores
    /// "pitch" … "completeness" and the emotional targets "tone", "sentiment", "engagement", "expressiveness",
    /// "intended_valence", "intended_arousal"; see docs/datasets.md). Targets, never features. Null for other datasets.
    /// </summary>
    public IReadOnlyDictionary<string, double>? Targets { get; init; }

    /// <summary>Name of the renderer that made <see cref="AudioPath"/> when a dataset mixes renderers ("builtin", "fluidsynth", …); else null.</summary>
    public string? Renderer { get; init; }

    /// <summary>Audio of the reference (what the score asks for) that this clip is compared with, rendered by the same renderer; else null.</summary>
    public string? ReferenceAudioPath { get; init; }

    /// <summary>MIDI of the reference score; else null.</summary>
    public string? ReferenceMidiPath { get; init; }

    /// <summary>Reads <see cref="AudioPath"/> (the file's own sample rate; never resampled).</summary>
    public AudioClip LoadAudio(bool mono = true)
    {
        if (AudioPath is null)
            throw new DatasetException($"clip {Id} has no audio yet (MIDI source {MidiPath ?? "none"}); run `hfb data prepare` to render it");
        return WavReader.Read(AudioPath, mono);
    }
}
