namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>Convenience entry points on a plain <see cref="MidiScore"/>.</summary>
public static class PerformanceDeviationExtensions
{
    /// <summary>Plants <paramref name="deviation"/> in an exact performance of <paramref name="score"/> (no natural variability).</summary>
    public static StudentPerformance Apply(this IPerformanceDeviation deviation, MidiScore score, long seed)
        => deviation.Apply(StudentPerformance.FromReference(score), seed);
}
