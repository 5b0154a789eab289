namespace HarmoniousFeedback.Features;

/// <summary>
/// Result of <see cref="TempoEstimator.Estimate"/>: the beat period (s) and tempo (bpm = 60 / period), the pulse clarity
/// (the largest normalised autocorrelation in the tempo range, in [0, 1]) and whether an estimate exists at all
/// (<see cref="Valid"/> is false for a flat envelope or one shorter than the shortest period; then every number is 0).
/// </summary>
public readonly record struct TempoEstimate(double Bpm, double PeriodSeconds, double PulseClarity, bool Valid)
{
    /// <summary>No estimate (flat or too short envelope).</summary>
    public static TempoEstimate None => default;
}
