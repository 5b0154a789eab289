namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// How well a whole recording follows its score: the DTW path's mean cost per cell (<see cref="Features.ReferenceAlignmentResult.MeanCost"/>,
/// 1 − cos of the pitch-class vectors plus step penalties) against the largest cost that counts as a match
/// (<see cref="PerformanceCheck.DefaultMaxMatchCost"/>), and how much better it aligns with the score than with the score
/// transposed (<see cref="Features.ReferenceAlignment.Contrast(HarmoniousFeedback.Audio.AudioClip, HarmoniousFeedback.Audio.AudioClip)"/>) against the smallest contrast that counts
/// (<see cref="PerformanceCheck.DefaultMinContrast"/>).
/// </summary>
/// <param name="Cost">The mean path cost (0 = the chroma match exactly).</param>
/// <param name="MaxCost">The threshold it is compared with.</param>
/// <param name="Contrast">1 − c_0 / median_k c_k over the score's 11 transpositions (null: not measured).</param>
/// <param name="MinContrast">The threshold <paramref name="Contrast"/> is compared with.</param>
public sealed record ScoreMatch(double Cost, double MaxCost, double? Contrast = null, double MinContrast = 0)
{
    /// <summary>True when <see cref="Cost"/> ≤ <see cref="MaxCost"/> and (when measured) <see cref="Contrast"/> ≥ <see cref="MinContrast"/> (a NaN does not match).</summary>
    public bool Matched => Cost <= MaxCost && ContrastMatched;

    /// <summary>True when the contrast was not measured or reaches <see cref="MinContrast"/>.</summary>
    public bool ContrastMatched => Contrast is not double c || c >= MinContrast;
}
