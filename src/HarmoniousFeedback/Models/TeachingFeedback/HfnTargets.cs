using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// The training targets of one batch (labels by construction from the teaching-feedback corpus).
/// </summary>
/// <param name="Issue">Dominant-issue class index per clip, in <see cref="HarmoniousFeedbackNetwork.IssueClasses"/> order.</param>
/// <param name="Scores">True per-dimension clip scores [B, N] in [0, 1].</param>
/// <param name="Emotion">True emotional targets [B, 6] in <see cref="HarmoniousFeedbackNetwork.EmotionTargets"/> order.</param>
/// <param name="Frames">True per-frame deficits [B, N, T'] at the network's output frame rate: the largest severity of the
/// planted deviations of each dimension whose span covers the frame's centre, else 0.</param>
public sealed record HfnTargets(long[] Issue, Tensor Scores, Tensor Emotion, Tensor Frames);
