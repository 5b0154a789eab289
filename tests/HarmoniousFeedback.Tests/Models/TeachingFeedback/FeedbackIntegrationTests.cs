using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;
using Xunit;
using static HarmoniousFeedback.Tests.Nn.GradCheck;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

public sealed class FeedbackIntegrationTests
{
    [Fact]
    public void Graph_propagation_gradients_match_finite_differences_for_nodes_and_every_parameter()
    {
        var gp = new FeedbackGraphPropagation(nodes: 6, inFeatures: 3, outFeatures: 2, new NnRng(2));
        var inputs = new[] { Rand(1, 2, 6, 3) }.Concat(gp.Parameters()).ToArray();
        Check(a => gp.Forward(a[0]), inputs, h: 1e-3f);
    }

    [Fact]
    public void Graph_propagation_starts_with_every_relation_at_one_half()
    {
        var gp = new FeedbackGraphPropagation(6, 3, 2, new NnRng(2));
        Assert.All(gp.Adjacency.ToArray(), v => Assert.Equal(0.5f, v)); // σ(0)
    }

    [Fact]
    public void Adaptive_update_gradients_match_finite_differences()
    {
        var up = new AdaptiveFeedbackUpdate(nodes: 6, nodeDim: 3, initialStep: 0.3, new NnRng(4));
        var f = Tensor.Uniform(new NnRng(5), 0f, 1f, 2, 6);
        var inputs = new[] { f, Rand(6, 2, 6, 3) }.Concat(up.Parameters()).ToArray();
        Check(a => up.Forward(a[0], a[1]).Feedback, inputs);
    }

    [Fact]
    public void Adaptive_update_lands_between_the_current_feedback_and_its_target()
    {
        var up = new AdaptiveFeedbackUpdate(6, 3, 0.3, new NnRng(4));
        var f = Tensor.Uniform(new NnRng(5), 0f, 1f, 4, 6);
        var (next, target) = up.Forward(f, Rand(6, 4, 6, 3));
        for (int i = 0; i < f.Count; i++)
        {
            float lo = Math.Min(f.Data[i], target.Data[i]), hi = Math.Max(f.Data[i], target.Data[i]);
            Assert.InRange(next.Data[i], lo - 1e-6f, hi + 1e-6f);
        }
        Assert.All(up.Step.ToArray(), s => Assert.Equal(0.3f, s, 1e-6f)); // σ(logit 0.3)
    }

    [Fact]
    public void Integration_gradients_match_finite_differences_through_k_iterations_and_the_objective()
    {
        var hfi = new FeedbackIntegration(6, 7, 4, new FeedbackIntegrationOptions { Iterations = 3, NodeDim = 2, RewardWeight = 0.5 }, new NnRng(8));
        hfi.IssueMap.Weight.Data.Fill(0.3f); // leave the neutral start so the logits path is exercised
        var z = Rand(1, 2, 4);
        var s0 = Tensor.Uniform(new NnRng(2), 0.1f, 0.9f, 2, 6);
        var l0 = Rand(3, 2, 7);
        var y = Tensor.Uniform(new NnRng(4), 0f, 1f, 2, 6);
        var inputs = new[] { z, s0, l0 }.Concat(hfi.Parameters()).ToArray();
        Check(a =>
        {
            var (logits, scores, iterates) = hfi.Forward(a[0], a[1], a[2]);
            var (loss, _) = hfi.Objective(iterates, y);
            return Tensor.Concat([logits.Reshape(14), scores.Reshape(12), loss.Reshape(1)], 0);
        }, inputs, h: 1e-3f);
    }

    [Fact]
    public void Integration_objective_weights_iterations_and_penalises_negative_rewards_as_documented()
    {
        var hfi = new FeedbackIntegration(2, 3, 1, new FeedbackIntegrationOptions { Iterations = 2, NodeDim = 1, RewardWeight = 0.5 }, new NnRng(1));
        var y = new Tensor([0f, 0f], 1, 2);
        // L₀ = 0.25, L₁ = 0.01 (reward +0.24), L₂ = 0.09 (reward −0.08)
        var iterates = new[] { new Tensor([0.5f, 0.5f], 1, 2), new Tensor([0.1f, 0.1f], 1, 2), new Tensor([0.3f, 0.3f], 1, 2) };
        var (loss, reward) = hfi.Objective(iterates, y);
        double expected = (1.0 / 3) * 0.01 + (2.0 / 3) * 0.09 + 0.5 * 0.08; // w = 2k/(K(K+1)); β·max(0, −r₂)
        Assert.Equal(expected, loss.Item(), 1e-6);
        Assert.Equal((0.25 - 0.09) / 2, reward, 1e-6); // r̄ = (L₀ − L_K)/K
    }

    [Fact]
    public void Integration_leaves_the_issue_logits_unchanged_at_initialisation()
    {
        var hfi = new FeedbackIntegration(6, 7, 4, new FeedbackIntegrationOptions(), new NnRng(8));
        var l0 = Rand(3, 2, 7);
        var (logits, _, iterates) = hfi.Forward(Rand(1, 2, 4), Tensor.Uniform(new NnRng(2), 0f, 1f, 2, 6), l0);
        Assert.Equal(l0.ToArray(), logits.ToArray());
        Assert.Equal(3, iterates.Count); // f₀, f₁, f₂ for K = 2
    }

    [Fact]
    public void Integration_options_report_every_invalid_value_at_once()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new FeedbackIntegrationOptions { Iterations = 0, NodeDim = 0, InitialStep = 1 }.Validate());
        Assert.Equal(3, ex.Problems.Count);
    }
}
