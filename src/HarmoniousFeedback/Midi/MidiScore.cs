namespace HarmoniousFeedback.Midi;

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
