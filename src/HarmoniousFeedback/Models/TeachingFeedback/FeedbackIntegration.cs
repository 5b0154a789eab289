using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// Harmonious Feedback Integration (HFI): refines the HFN's feedback vector over K iterations of graph propagation
/// (<see cref="FeedbackGraphPropagation"/>) and adaptive update (<see cref="AdaptiveFeedbackUpdate"/>), and folds the
/// refined vector back into the dominant-issue logits. Its training objective carries a reinforcement-style reward for
/// improving across iterations (<see cref="Objective"/>).
/// <code>
///   f₀      = 1 − s₀                                  initial deficits from the HFN's score head        [B, N]
///   N₀      = [reshape(W_n z + b_n, N, D) ; f₀]        node states from the shared representation z [B, 2H]  [B, N, D+1]
///   for k = 1 … K  (weights shared across iterations):
///     H_k   = FeedbackGraphPropagation(N_{k−1})       [B, N, D]
///     f_k   = AdaptiveFeedbackUpdate(f_{k−1}, H_k)    [B, N]
///     N_k   = [H_k ; f_k]                             [B, N, D+1]
///   s_K     = 1 − f_K                                 refined per-dimension scores
///   ℓ_K     = ℓ₀ + W_o f_K                            refined dominant-issue logits (W_o [N+1, N], zero-initialised: HFI starts neutral)
/// </code>
/// Keys: <c>nodes.weight</c> [N·D, 2H], <c>propagation.*</c>, <c>update.*</c>, <c>issue.weight</c> [N+1, N].
/// ONNX (<see cref="ExportOnnx"/>): the K iterations unrolled (K is fixed by the options), the shared weights stored once.
/// </summary>
public sealed class FeedbackIntegration : Module, IOnnxExportable
{
    public FeedbackIntegration(int dimensions, int issueClasses, int representationDim, FeedbackIntegrationOptions options, SplitMix64 rng)
    {
        options.Validate();
        Options = options;
        Dimensions = dimensions;
        NodeInit = RegisterModule("nodes", new Linear(representationDim, dimensions * options.NodeDim, rng: rng));
        Propagation = RegisterModule("propagation", new FeedbackGraphPropagation(dimensions, options.NodeDim + 1, options.NodeDim, rng));
        Update = RegisterModule("update", new AdaptiveFeedbackUpdate(dimensions, options.NodeDim, options.InitialStep, rng));
        IssueMap = RegisterModule("issue", new Linear(dimensions, issueClasses, bias: false, rng: rng));
        IssueMap.Weight.Data.Clear();
    }

    public FeedbackIntegrationOptions Options { get; }
    public int Dimensions { get; }
    public Linear NodeInit { get; }
    public FeedbackGraphPropagation Propagation { get; }
    public AdaptiveFeedbackUpdate Update { get; }
    public Linear IssueMap { get; }

    /// <summary>
    /// z [B, 2H], s₀ [B, N], ℓ₀ [B, N+1] → refined logits ℓ_K, refined scores s_K and the deficit iterates f₀ … f_K (each [B, N]).
    /// </summary>
    public (Tensor Logits, Tensor Scores, IReadOnlyList<Tensor> Iterates) Forward(Tensor representation, Tensor scores, Tensor logits)
    {
        int b = representation.Shape[0], n = Dimensions, d = Options.NodeDim;
        var f = 1f - scores;
        var iterates = new List<Tensor>(Options.Iterations + 1) { f };
        var nodes = Tensor.Concat([NodeInit.Forward(representation).Reshape(b, n, d), f.Reshape(b, n, 1)], 2);
        for (int k = 0; k < Options.Iterations; k++)
        {
            var h = Propagation.Forward(nodes);
            (f, _) = Update.Forward(f, h);
            iterates.Add(f);
            nodes = Tensor.Concat([h, f.Reshape(b, n, 1)], 2);
        }
        return (logits + IssueMap.Forward(f), 1f - f, iterates);
    }

    /// <summary>ONNX: (z [B, 2H(+4K)], s₀ [B, N], ℓ₀ [B, N+1]) → (ℓ_K [B, N+1], s_K [B, N]); the iterates are not outputs.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 3, 0, "FeedbackIntegration(representation, scores, logits)");
        var (z, scores, logits) = (inputs[0], inputs[1], inputs[2]);
        int n = Dimensions, d = Options.NodeDim;
        var one = graph.FloatConstant(1f);
        var f = graph.Binary("Sub", one, scores);                                                  // [B, N]
        var nodes = graph.Concat([graph.Reshape(graph.Emit(NodeInit, "nodes", z)[0], 0, n, d), graph.Reshape(f, 0, n, 1)], 2);
        for (int k = 0; k < Options.Iterations; k++)
        {
            var h = graph.Emit(Propagation, "propagation", nodes)[0];
            f = graph.Emit(Update, "update", f, h)[0];
            if (k < Options.Iterations - 1) nodes = graph.Concat([h, graph.Reshape(f, 0, n, 1)], 2);   // the last N_K feeds nothing
        }
        var refined = graph.Binary("Add", logits, graph.Emit(IssueMap, "issue", f)[0]);
        return [refined, graph.Binary("Sub", one, f)];
    }

    /// <summary>
    /// The HFI objective and its reward, from the deficit iterates f₀ … f_K and the true deficits y = 1 − s_true [B, N]:
    /// <code>
    ///   L_k  = (1/(B·N)) Σ (f_k − y)²                          iteration loss
    ///   r_k  = sg(L_{k−1}) − L_k                               reward of iteration k (sg = stop-gradient): how much it improved
    ///   L_HFI = Σ_{k=1..K} w_k L_k + β Σ_{k=1..K} max(0, −r_k),   w_k = 2k / (K(K+1))   (later iterations weigh more; Σ w_k = 1)
    /// </code>
    /// The second term penalises every iteration that made the feedback worse (negative reward); together with the
    /// weights it rewards steady improvement. Returns the objective and the mean reward per iteration (r̄ = (L₀ − L_K)/K, reported).
    /// </summary>
    public (Tensor Loss, double MeanReward) Objective(IReadOnlyList<Tensor> iterates, Tensor trueDeficits)
    {
        int kCount = iterates.Count - 1;
        var losses = iterates.Select(f => F.MseLoss(f, trueDeficits)).ToList();
        Tensor? total = null;
        double rewardSum = 0;
        for (int k = 1; k <= kCount; k++)
        {
            float w = 2f * k / (kCount * (kCount + 1f));
            var reward = losses[k - 1].Detach() - losses[k];
            rewardSum += reward.Item();
            var term = losses[k] * w + (-reward).Relu() * (float)Options.RewardWeight;
            total = total is null ? term : total + term;
        }
        return (total ?? Tensor.Scalar(0f), kCount == 0 ? 0 : rewardSum / kCount);
    }
}
