using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// Everything one HFN / HFN–HFI forward pass produces (N = 6 feedback dimensions, N + 1 = 7 issue classes, T' = ⌊T/2ⁿ⌋ output frames).
/// </summary>
/// <param name="IssueLogits">Dominant-issue logits [B, N+1] (after HFI when present), classes in <see cref="HarmoniousFeedbackNetwork.IssueClasses"/> order.</param>
/// <param name="Scores">Per-dimension clip scores in [0, 1] [B, N] (1 = as the score asks; after HFI when present).</param>
/// <param name="InitialScores">s₀, the score head's estimate before HFI [B, N].</param>
/// <param name="FrameDeficits">Per-frame issue scores d(τ') ∈ [0, 1] [B, N, T'] (0 = fine) — for localisation.</param>
/// <param name="Emotion">The emotional head's estimates [B, 6] in <see cref="HarmoniousFeedbackNetwork.EmotionTargets"/> order.</param>
/// <param name="Factors">The emotional factors (tone, sentiment, engagement) that conditioned the attention [B, 3]; null in the "no emotional factors" ablation.</param>
/// <param name="Attention">The attention map A [B, 1, M, T]; null in the "no emotional attention" ablation.</param>
/// <param name="Representation">The shared representation z [B, 2H].</param>
/// <param name="Iterates">HFI deficit iterates f₀ … f_K [B, N] each (f₀ = 1 − s₀ only, without HFI).</param>
/// <param name="FrameLengths">Valid output frames of each clip.</param>
public sealed record HfnOutput(Tensor IssueLogits, Tensor Scores, Tensor InitialScores, Tensor FrameDeficits, Tensor Emotion, Tensor? Factors,
    Tensor? Attention, Tensor Representation, IReadOnlyList<Tensor> Iterates, int[] FrameLengths);
