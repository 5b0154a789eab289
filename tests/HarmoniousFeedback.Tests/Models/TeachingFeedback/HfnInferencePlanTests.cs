using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Tests.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

public sealed class HfnInferencePlanTests
{
    /// <summary>
    /// Folding the batch norm rounds W·s once instead of scaling each output, and the plan sums in another order than the
    /// engine's GEMMs and reductions: outputs (probabilities, scores, deficits, emotion, attention, representation — all of
    /// order 1) differ by float rounding (ε = 1.2e-7 relative) carried through up to four encoder layers and the heads;
    /// 1e-5 absolute bounds that with room, and is far below any difference a wrong formula or weight would make.
    /// </summary>
    private const float Tolerance = 1e-5f;

    /// <summary>A network whose every part matters: random batch-norm statistics in the encoder (a fresh norm makes the fold
    /// trivial) and a non-zero HFI issue map (zero-initialised, it would hide the refined logits).</summary>
    internal static HarmoniousFeedbackNetwork Network(HarmoniousFeedbackNetworkOptions options, int alignment, int seed, int notes = 0)
    {
        var net = new HarmoniousFeedbackNetwork(options, alignment, seed, notes);
        var rng = new NnRng(seed + 100);
        // a fitted note scaler (μ ≠ 0, s ≠ 1) over vectors wide enough that some standardised values are clipped at ±5
        net.Notes?.Fit(Enumerable.Range(0, 6).Select(i => Tensor.Uniform(rng, -0.3f, 0.3f, notes).ToArray()));
        foreach (var layer in net.Encoder.Blocks.Layers)
            if (layer is BatchNorm norm) FoldedConvStackTests.Randomise(norm, rng);
        if (net.Integration is { } hfi) Tensor.Uniform(rng, -0.5f, 0.5f, [.. hfi.IssueMap.Weight.Shape]).Data.CopyTo(hfi.IssueMap.Weight.Data);
        net.Eval();
        return net;
    }

    /// <summary>An example of <paramref name="frames"/> frames × M mel bins with K alignment features, values as a normalised log-mel.</summary>
    internal static HfnExample Example(int seed, int frames, int m, int k, int notes = 0)
    {
        var rng = new NnRng(seed);
        var times = Enumerable.Range(0, frames).Select(i => i * 0.01).ToArray();
        FeatureMatrix M(int cols, float lo, float hi) => new(Tensor.Uniform(rng, lo, hi, frames, cols).ToArray(), frames, cols,
            Enumerable.Range(0, cols).Select(i => $"f{i}").ToArray(), times);
        return new HfnExample(M(m, 0f, 1f), M(m, 0f, 1f), k > 0 ? M(k, -1f, 1f) : null, notes > 0 ? Tensor.Uniform(rng, -2f, 2f, notes).ToArray() : null);
    }

    private static void Close(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        ReadOnlySpan<float> e = expected.Data, a = actual.Data;
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= Tolerance, $"{what}[{i}]: engine {e[i]}, plan {a[i]}");
    }

    public static TheoryData<bool, bool, bool, int, int, int> Ablations => new()
    {
        // attention, factors, reference, HFI K (0 = no HFI), alignment features, note features
        { true, true, true, 2, 2, 0 },
        { false, true, true, 2, 2, 0 },
        { true, false, true, 2, 2, 0 },
        { false, false, true, 2, 2, 0 },
        { true, true, false, 2, 2, 0 },
        { true, true, true, 0, 2, 0 },
        { true, true, true, 1, 2, 0 },
        { true, true, true, 4, 2, 0 },
        { true, true, true, 2, 0, 0 },
        { true, true, true, 2, 2, 5 },
        { true, true, true, 0, 0, 3 },
    };

    [Theory]
    [MemberData(nameof(Ablations))]
    public void Plan_gives_every_output_of_the_eval_forward_pass_in_each_ablation(bool attention, bool factors, bool reference, int k, int alignment, int notes)
    {
        var o = HarmoniousFeedbackNetworkTests.Tiny with
        {
            NMels = 16,
            Channels = [4, 6, 5],
            EmotionAttention = attention,
            EmotionFactors = factors,
            ReferenceStream = reference,
            Integration = k == 0 ? null : new FeedbackIntegrationOptions { Iterations = k, NodeDim = 3 },
        };
        var net = Network(o, alignment, seed: 3, notes);
        Assert.Equal(notes, net.NoteFeatures);
        var plan = new HfnInferencePlan(net);
        // 45 frames (not a multiple of the pool factor 8) and 5 (shorter than it: padded to 8, as HfnBatching pads)
        foreach (int frames in new[] { 45, 5 })
        {
            var e = Example(frames, frames, 16, net.AlignmentFeatures, notes);
            HfnOutput want;
            using (Tensor.NoGrad()) want = net.Forward(HfnBatching.Inputs([e], [0], reference, net.AlignmentFeatures, net.PoolFactor, notes));
            var got = plan.Forward(e);
            Close(want.IssueLogits, got.IssueLogits, "logits");
            Close(want.IssueLogits.Softmax(-1), got.IssueLogits.Softmax(-1), "probabilities");
            Close(want.Scores, got.Scores, "scores");
            Close(want.InitialScores, got.InitialScores, "initial scores");
            Close(want.FrameDeficits, got.FrameDeficits, "frame deficits");
            Close(want.Emotion, got.Emotion, "emotion");
            Close(want.Representation, got.Representation, "representation");
            Assert.Equal(want.Factors is null, got.Factors is null);
            if (want.Factors is not null) Close(want.Factors, got.Factors!, "factors");
            Assert.Equal(want.Attention is null, got.Attention is null);
            if (want.Attention is not null) Close(want.Attention, got.Attention!, "attention");
            Assert.Equal(want.Iterates.Count, got.Iterates.Count);
            for (int i = 0; i < want.Iterates.Count; i++) Close(want.Iterates[i], got.Iterates[i], $"iterate {i}");
            Assert.Equal(want.FrameLengths, got.FrameLengths);
        }
    }

    [Theory]
    [InlineData(2, 5)]
    [InlineData(0, 3)]
    public void Deciding_from_the_notes_alone_the_plan_equals_the_eval_forward_pass_and_reads_no_audio(int k, int alignment)
    {
        var o = HarmoniousFeedbackNetworkTests.Tiny with
        {
            NMels = 16,
            Channels = [4, 6, 5],
            ModalityDropout = 0.5,
            Integration = k == 0 ? null : new FeedbackIntegrationOptions { Iterations = k, NodeDim = 3 },
        };
        var net = Network(o, alignment, seed: 4, 6);
        var plan = new HfnInferencePlan(net);
        var e = Example(7, 45, 16, net.AlignmentFeatures, 6);
        HfnOutput want;
        using (Tensor.NoGrad()) want = net.Forward(HfnBatching.Inputs([e], [0], true, net.AlignmentFeatures, net.PoolFactor, 6), notesOnly: true);
        var got = plan.Forward(e, notesOnly: true);
        Close(want.IssueLogits, got.IssueLogits, "logits");
        Close(want.Scores, got.Scores, "scores");
        Close(want.Emotion, got.Emotion, "emotion");
        Close(want.Representation, got.Representation, "representation");
        int audio = 2 * o.FrameHidden + 4 * net.AlignmentFeatures;
        Assert.All(got.Representation.ToArray().Take(audio), v => Assert.Equal(0f, v));
        // another recording with the same note comparison: the same decision, a different emotional estimate
        var other = Example(8, 45, 16, net.AlignmentFeatures, 6) with { Notes = e.Notes };
        var gotOther = plan.Forward(other, notesOnly: true);
        Assert.Equal(got.IssueLogits.ToArray(), gotOther.IssueLogits.ToArray());
        Assert.Equal(got.Scores.ToArray(), gotOther.Scores.ToArray());
        Assert.NotEqual(got.Emotion.ToArray(), gotOther.Emotion.ToArray());
        var all = plan.Forward(e);
        Assert.NotEqual(all.IssueLogits.ToArray(), got.IssueLogits.ToArray());
        Close(all.Emotion, got.Emotion, "emotion (read from all of z either way)");
        var plain = new HfnInferencePlan(Network(o with { ModalityDropout = 0 }, alignment, seed: 4, 0));
        Assert.Throws<OptionsValidationException>(() => plain.Predict(Example(7, 45, 16, alignment, 0), notesOnly: true));
    }

    [Fact]
    public void Model_predictions_through_the_plan_equal_the_engine_path_for_the_published_network_on_a_3_s_window()
    {
        var net = Network(new HarmoniousFeedbackNetworkOptions(), 8, seed: 5);
        var model = new HarmoniousFeedbackModel(net, 5);
        var examples = new[] { Example(1, 301, 128, 8), Example(2, 250, 128, 8) };
        var fast = model.Predict(examples, withAttention: true);
        for (int i = 0; i < examples.Length; i++)
        {
            var slow = model.PredictWithEngine(examples[i], withAttention: true);
            Assert.Equal(slow.Issue, fast[i].Issue);
            foreach (var (a, b, what) in new[] { (slow.IssueProbabilities, fast[i].IssueProbabilities, "probabilities"), (slow.Scores, fast[i].Scores, "scores"),
                (slow.Emotion, fast[i].Emotion, "emotion"), (slow.Factors!, fast[i].Factors!, "factors"), (slow.FrameDeficits, fast[i].FrameDeficits, "deficits"),
                (slow.Attention!, fast[i].Attention!, "attention") })
            {
                Assert.Equal(a.Length, b.Length);
                for (int j = 0; j < a.Length; j++) Assert.True(Math.Abs(a[j] - b[j]) <= Tolerance, $"{what}[{j}]: engine {a[j]}, plan {b[j]}");
            }
            Assert.Equal(slow.FrameStarts, fast[i].FrameStarts);
            Assert.Equal(slow.FrameEnds, fast[i].FrameEnds);
        }
    }

    [Fact]
    public void Model_rebuilds_its_plan_when_the_network_weights_change()
    {
        var o = HarmoniousFeedbackNetworkTests.Tiny with { NMels = 16, Channels = [4, 6] };
        var net = Network(o, 2, seed: 7);
        var model = new HarmoniousFeedbackModel(net, 7);
        var e = Example(3, 40, 16, 2);
        var before = model.Predict([e])[0];
        // load another network's weights (as a checkpoint reload or further training would change them)
        net.LoadStateDict(Network(o, 2, seed: 8).StateDict());
        var after = model.Predict([e])[0];
        var engine = model.PredictWithEngine(e);
        Assert.NotEqual(before.IssueProbabilities, after.IssueProbabilities);
        for (int j = 0; j < engine.IssueProbabilities.Length; j++) Assert.Equal(engine.IssueProbabilities[j], after.IssueProbabilities[j], Tolerance);
    }

    [Fact]
    public void Plan_rejects_an_example_without_the_reference_its_network_reads()
    {
        var net = Network(HarmoniousFeedbackNetworkTests.Tiny, 2, seed: 9);
        var e = Example(4, 20, 8, 2) with { Reference = null };
        var ex = Assert.Throws<ShapeMismatchException>(() => new HfnInferencePlan(net).Predict(e));
        Assert.Contains("reference", ex.Message);
    }

    [Fact]
    public void Plan_reports_it_is_stale_after_a_parameter_changes()
    {
        var net = Network(HarmoniousFeedbackNetworkTests.Tiny, 2, seed: 10);
        var plan = new HfnInferencePlan(net);
        Assert.True(plan.IsCurrent);
        ((BatchNorm)net.Encoder.Blocks.Layers[1]).RunningMean.Data[0] += 0.25f;
        Assert.False(plan.IsCurrent);
    }
}
