using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Midi.Rendering;

/// <summary>
/// Turns a MIDI score into audio. Implementations are thread-safe: one instance renders many scores in parallel.
/// </summary>
public interface IMidiRenderer
{
    /// <summary>Short identifier of the renderer ("builtin-piano", "fluidsynth").</summary>
    string Name { get; }

    /// <summary>
    /// Everything that changes the rendered audio besides the MIDI content: the renderer name, its version and all its
    /// options, as one canonical string. Two renderers with equal keys produce identical audio for identical MIDI;
    /// <see cref="RenderCache"/> keys entries by SHA-256(MIDI bytes) and this string.
    /// </summary>
    string CacheKey { get; }

    /// <summary>Output sample rate in Hz.</summary>
    int SampleRate { get; }

    /// <summary>
    /// Renders <paramref name="score"/>. <paramref name="midiBytes"/> are the SMF bytes the score came from (renderers
    /// that work on files, such as FluidSynth, use them; when <c>null</c> they write the score with
    /// <see cref="MidiWriter"/>). Returns a mono clip at <see cref="SampleRate"/>.
    /// </summary>
    AudioClip Render(MidiScore score, byte[]? midiBytes);
}
