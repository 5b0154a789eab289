using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;

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
/// ONNX: <c>MatMul</c>, <c>Reshape</c>, <c>Add</c>, <c>Sigmoid</c> (η = σ(<c>step_logits</c>) in the graph), <c>Sub</c>, <c>Mul</c>.
/// </summary>
public sealed class AdaptiveFeedbackUpdate : Module, IOnnxExportable
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

    /// <summary>ONNX: (f_{k−1} [B, N], H_k [B, N, D]) → (f_k, t_k) [B, N] each; the same formula as <see cref="Forward"/>.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 2, 0, "AdaptiveFeedbackUpdate(feedback, node_states)");
        var (f, h) = (inputs[0], inputs[1]);
        graph.CheckRank(h, 3, "AdaptiveFeedbackUpdate node states");
        graph.CheckDim(f, 1, Nodes, $"AdaptiveFeedbackUpdate(N={Nodes})");
        var t = graph.Reshape(graph.Emit(Target, "target", h)[0], 0, Nodes);                     // [B, N]
        var target = graph.Unary("Sigmoid", graph.Binary("Add", t, graph.Initializer("target_bias", TargetBias)));
        var step = graph.Unary("Sigmoid", graph.Initializer("step_logits", StepLogits));
        var next = graph.Binary("Add", f, graph.Binary("Mul", graph.Binary("Sub", target, f), step));
        return [next, target];
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
