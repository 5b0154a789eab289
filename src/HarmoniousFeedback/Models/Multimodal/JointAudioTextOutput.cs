using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>
/// What <see cref="JointAudioText"/> returns for a batch: the main 4-quadrant logits [B, C], the auxiliary arousal and
/// valence logits [B, 2] each (null without the auxiliary task), and the fusion token's attention over the 2K private and
/// shared tokens [B, 2K] (order: private_1 … private_K, shared_1 … shared_K).
/// </summary>
public sealed record JointAudioTextOutput(Tensor Logits, Tensor? Arousal, Tensor? Valence, Tensor Weights);
