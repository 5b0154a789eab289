namespace HarmoniousFeedback.Midi;

/// <summary>Options of <see cref="MidiWriter"/>.</summary>
public sealed record MidiWriterOptions
{
    /// <summary>Division written in the header: ticks per quarter note. Default 480 (1 tick ≈ 1.04 ms at 120 BPM).</summary>
    public int TicksPerQuarter { get; init; } = 480;

    /// <summary>
    /// The single tempo the file declares, in BPM, used to convert seconds to ticks. <c>null</c> (default) takes the
    /// score's first tempo, or 120 BPM when it has none. Onsets are preserved to within half a tick whatever the value.
    /// </summary>
    public double? Bpm { get; init; }

    /// <summary>Velocity written in note-off events (0x80). MIDI's neutral release velocity is 64.</summary>
    public int NoteOffVelocity { get; init; } = 64;

    public void Validate()
    {
        var v = new OptionsValidator(nameof(MidiWriterOptions));
        v.InRange(nameof(TicksPerQuarter), TicksPerQuarter, 24, 0x7FFF);
        if (Bpm is { } b) v.InRange(nameof(Bpm), b, 3.6, 1000); // 3.6 BPM = 2^24−1 µs per quarter, the SMF limit
        v.InRange(nameof(NoteOffVelocity), NoteOffVelocity, 0, 127);
        v.ThrowIfAny();
    }
}
