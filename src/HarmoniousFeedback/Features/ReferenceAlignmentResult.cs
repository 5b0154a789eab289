namespace HarmoniousFeedback.Features;

/// <summary>What <see cref="ReferenceAlignment.Compute(HarmoniousFeedback.Audio.AudioClip, HarmoniousFeedback.Audio.AudioClip)"/> gives, every matrix with one row per performance frame.</summary>
/// <param name="Performance">The performance's <see cref="NormalizedLogMel"/> [T_s × M].</param>
/// <param name="AlignedReference">The reference's normalised log-mel warped onto the performance's frames [T_s × M].</param>
/// <param name="Features">The eight alignment features [T_s × 8] (<see cref="ReferenceAlignment.FeatureNames"/>).</param>
/// <param name="ReferencePosition">π(i): where each performance frame sits in the reference, in (fractional) reference frames.</param>
/// <param name="ReferenceFrames">m, the reference's frame count.</param>
/// <param name="Cost">The DTW path's accumulated cost.</param>
public sealed record ReferenceAlignmentResult(FeatureMatrix Performance, FeatureMatrix AlignedReference, FeatureMatrix Features, double[] ReferencePosition, int ReferenceFrames, double Cost);
