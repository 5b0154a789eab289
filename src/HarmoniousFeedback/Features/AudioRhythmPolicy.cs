namespace HarmoniousFeedback.Features;

/// <summary>For which clips <see cref="MultiViewExtractor"/> computes the audio rhythm view.</summary>
public enum AudioRhythmPolicy
{
    /// <summary>Only for clips without MIDI (the fallback for audio-only datasets). Default.</summary>
    ClipsWithoutMidi,
    /// <summary>For every clip with audio.</summary>
    AllClips,
    /// <summary>Never.</summary>
    Never,
}
