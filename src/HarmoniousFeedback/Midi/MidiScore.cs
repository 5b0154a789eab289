namespace HarmoniousFeedback.Midi;

/// <summary>
/// One sounding note. Times are in seconds from the start of the file (the tempo map applied).
/// <see cref="Offset"/> is the key release; <see cref="PedalOffset"/> is when the sound actually stops under the
/// sustain pedal (CC64 ≥ 64 holds a released note until the pedal is lifted), equal to <see cref="Offset"/> when no
/// pedal holds it.
/// </summary>
public readonly record struct MidiNote(double Onset, double Offset, int Pitch, int Velocity, int Channel, double PedalOffset)
{
    public double Duration => Offset - Onset;
    public double SoundingDuration => PedalOffset - Onset;
}

/// <summary>A tempo change: from <see cref="Tick"/> (and <see cref="Seconds"/>) on, a quarter note lasts <see cref="MicrosecondsPerQuarter"/> µs.</summary>
public readonly record struct TempoChange(long Tick, double Seconds, int MicrosecondsPerQuarter)
{
    public double Bpm => 60_000_000.0 / MicrosecondsPerQuarter;
}

/// <summary>A time-signature change (numerator / 2^denominatorPower written as the denominator itself).</summary>
public readonly record struct TimeSignature(long Tick, double Seconds, int Numerator, int Denominator);

/// <summary>A controller change, kept for CC64 (sustain) and other controllers renderers may honour.</summary>
public readonly record struct ControlChange(double Seconds, int Channel, int Controller, int Value);

/// <summary>
/// What a Standard MIDI File says, in seconds: notes sorted by onset (then pitch), the tempo map, meter and
/// the controller changes. Produced by the MIDI reader, consumed by renderers and symbolic features.
/// </summary>
public sealed class MidiScore
{
    public required IReadOnlyList<MidiNote> Notes { get; init; }
    public required IReadOnlyList<TempoChange> Tempos { get; init; }
    public required IReadOnlyList<TimeSignature> TimeSignatures { get; init; }
    public required IReadOnlyList<ControlChange> Controls { get; init; }

    /// <summary>SMF format (0, 1 or 2).</summary>
    public int Format { get; init; }

    /// <summary>Ticks per quarter note (division); 0 for SMPTE time division.</summary>
    public int TicksPerQuarter { get; init; }

    public int TrackCount { get; init; }

    /// <summary>Where the score came from (a path or "synthetic:…").</summary>
    public string Source { get; init; } = "memory";

    /// <summary>End of the last sounding note (pedal-extended), in seconds.</summary>
    public double Duration => Notes.Count == 0 ? 0 : Notes.Max(n => n.PedalOffset);
}
