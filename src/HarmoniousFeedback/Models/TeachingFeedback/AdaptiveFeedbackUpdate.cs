using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// HFI's adaptive update: moves the current feedback vector f (one deficit per dimension, 0 = as the score asks,
/// 1 = entirely wrong) toward the target state the propagated node states point to, by a learned step per dimension.
/// <code>
///   t_k = σ(H_k · w + c)                 target state from the node states H_k [B, N, D]: w ∈ ℝᴰ shared, c ∈ ℝᴺ per dimension → [B, N]
///   η   = σ(ρ) ∈ (0, 1)ᴺ                 learned step, ρ initialised to logit η₀
///   f_k = f_{k−1} + η ⊙ (t_k − f_{k−1})  a convex step: f stays in [0, 1] when f_{k−1} and t_k are
/// </code>
/// Keys: <c>target.weight</c> [1, D], <c>target_bias</c> [N], <c>step_logits</c> [N].
/// </summary>
public sealed class AdaptiveFeedbackUpdate : Module
{
    public AdaptiveFeedbackUpdate(int nodes, int nodeDim, double initialStep, SplitMix64 rng)
    {
        Nodes = nodes;
        Target = RegisterModule("target", new Linear(nodeDim, 1, bias: false, rng: rng));
        TargetBias = RegisterParameter("target_bias", Tensor.Zeros(nodes));
        StepLogits = RegisterParameter("step_logits", Tensor.Full((float)Math.Log(initialStep / (1 - initialStep)), nodes));
    }

    public int Nodes { get; }
    public Linear Target { get; }
    public Tensor TargetBias { get; }
    public Tensor StepLogits { get; }

    /// <summary>The learned steps η = σ(ρ) [N] (a copy without gradient).</summary>
    public Tensor Step
    {
        get
        {
            using var _ = Tensor.NoGrad();
            return StepLogits.Sigmoid().Detach();
        }
    }

    /// <summary>(f_{k−1} [B, N], H_k [B, N, D]) → (f_k [B, N], t_k [B, N]).</summary>
    public (Tensor Feedback, Tensor Target) Forward(Tensor feedback, Tensor nodeStates)
    {
        int b = nodeStates.Shape[0];
        if (feedback.Rank != 2 || feedback.Shape[0] != b || feedback.Shape[1] != Nodes)
            throw new ShapeMismatchException($"AdaptiveFeedbackUpdate: feedback must be [{b}, {Nodes}], got {Tensor.ShapeString(feedback.Shape)}");
        var target = (Target.Forward(nodeStates).Reshape(b, Nodes) + TargetBias).Sigmoid();
        var step = StepLogits.Sigmoid();
        return (feedback + (target - feedback) * step, target);
    }
}
