namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// How well a whole recording follows its score: the DTW path's mean cost per cell (<see cref="Features.ReferenceAlignmentResult.MeanCost"/>,
/// 1 − cos of the pitch-class vectors plus step penalties) and the largest cost that counts as a match
/// (<see cref="PerformanceCheck.DefaultMaxMatchCost"/>).
/// </summary>
/// <param name="Cost">The mean path cost (0 = the chroma match exactly).</param>
/// <param name="MaxCost">The threshold it is compared with.</param>
public sealed record ScoreMatch(double Cost, double MaxCost)
{
    /// <summary>True when <see cref="Cost"/> ≤ <see cref="MaxCost"/> (a NaN cost does not match).</summary>
    public bool Matched => Cost <= MaxCost;
}
