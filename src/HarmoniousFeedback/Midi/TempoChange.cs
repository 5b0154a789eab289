namespace HarmoniousFeedback.Midi;

/// <summary>A tempo change: from <see cref="Tick"/> (and <see cref="Seconds"/>) on, a quarter note lasts <see cref="MicrosecondsPerQuarter"/> µs.</summary>
public readonly record struct TempoChange(long Tick, double Seconds, int MicrosecondsPerQuarter)
{
    public double Bpm => 60_000_000.0 / MicrosecondsPerQuarter;
}
