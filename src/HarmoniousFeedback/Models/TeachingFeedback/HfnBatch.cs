using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// One mini-batch of HFN inputs, zero-padded to the longest clip.
/// </summary>
/// <param name="Student">The student's normalised log-mel magnitude X [B, 1, M, T] (values in [0, 1]).</param>
/// <param name="Reference">The reference rendition's log-mel, aligned frame by frame to the student [B, 1, M, T]; null without the reference stream.</param>
/// <param name="Alignment">Per-frame alignment features G [B, K, T] (docs/feedback.md, "Views"); null when none.</param>
/// <param name="Lengths">Valid frames of each clip (≤ T).</param>
public sealed record HfnBatch(Tensor Student, Tensor? Reference, Tensor? Alignment, int[] Lengths)
{
    /// <summary>The clips' note comparisons with the score N [B, Q] (<see cref="HfnExample.Notes"/>); null when the network reads none.</summary>
    public Tensor? Notes { get; init; }

    public int BatchSize => Student.Shape[0];
    public int Frames => Student.Shape[3];
}
