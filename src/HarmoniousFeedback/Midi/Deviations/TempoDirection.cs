namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>Direction of a tempo deviation: faster (rushing) or slower (dragging).</summary>
public enum TempoDirection
{
    Faster,
    Slower,
}
