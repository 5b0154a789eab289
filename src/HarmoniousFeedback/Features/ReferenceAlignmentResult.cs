namespace HarmoniousFeedback.Features;

/// <summary>What <see cref="ReferenceAlignment.Compute(HarmoniousFeedback.Audio.AudioClip, HarmoniousFeedback.Audio.AudioClip)"/> gives, every matrix with one row per performance frame.</summary>
/// <param name="Performance">The performance's <see cref="NormalizedLogMel"/> [T_s × M].</param>
/// <param name="AlignedReference">The reference's normalised log-mel warped onto the performance's frames [T_s × M].</param>
/// <param name="Features">The eight alignment features [T_s × 8] (<see cref="ReferenceAlignment.FeatureNames"/>).</param>
/// <param name="ReferencePosition">π(i): where each performance frame sits in the reference, in (fractional) reference frames.</param>
/// <param name="ReferenceFrames">m, the reference's frame count.</param>
/// <param name="Cost">The DTW path's accumulated cost.</param>
public sealed record ReferenceAlignmentResult(FeatureMatrix Performance, FeatureMatrix AlignedReference, FeatureMatrix Features, double[] ReferencePosition, int ReferenceFrames, double Cost)
{
    /// <summary>
    /// The DTW path's mean cost per cell: <see cref="Cost"/> (cell costs 1 − cos plus the step penalties δ) divided by the
    /// number of path cells (on the decimated grid when the sequences were decimated; of the aligned head when
    /// <see cref="ReferenceAlignmentOptions.TailDb"/> trims the tails) — the same measure as <see cref="ReferenceSpan.Cost"/>
    /// of <see cref="ReferenceLocator"/>. Near 0 when the recording plays the score; ≈ 0.3 and more when it plays other
    /// notes (docs/feedback.md, "Does the recording play the score?"). NaN when not computed.
    /// </summary>
    public double MeanCost { get; init; } = double.NaN;

    /// <summary>The transposition contrast of the same frames (<see cref="ReferenceAlignment.Contrast(HarmoniousFeedback.Audio.AudioClip, HarmoniousFeedback.Audio.AudioClip)"/>) when it was asked for, else null.</summary>
    public TranspositionContrast? Contrast { get; init; }
}
