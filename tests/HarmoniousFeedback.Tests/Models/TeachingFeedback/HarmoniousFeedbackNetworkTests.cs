using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;
using Xunit;
using static HarmoniousFeedback.Tests.Nn.GradCheck;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

public sealed class HarmoniousFeedbackNetworkTests
{
    /// <summary>A small network: 8 mel bins, two encoder blocks (pool factor 4), 2 alignment features.</summary>
    internal static HarmoniousFeedbackNetworkOptions Tiny { get; } = new()
    {
        NMels = 8, Channels = [2, 3], EmotionEmbeddingDim = 2, FactorHidden = 3, FrameHidden = 3,
        Integration = new FeedbackIntegrationOptions { Iterations = 2, NodeDim = 2 },
    };

    internal static HfnBatch Batch(int seed, int b, int m, int t, int k, int[] lengths)
    {
        var rng = new NnRng(seed);
        var x = Tensor.Uniform(rng, 0f, 1f, b, 1, m, t);
        var r = Tensor.Uniform(rng, 0f, 1f, b, 1, m, t);
        var g = Tensor.Uniform(rng, -1f, 1f, b, k, t);
        return new HfnBatch(x, r, k > 0 ? g : null, lengths);
    }

    internal static HfnTargets Targets(int seed, int b, int tOut)
    {
        var rng = new NnRng(seed);
        return new HfnTargets(Enumerable.Range(0, b).Select(i => (long)(i % 7)).ToArray(), Tensor.Uniform(rng, 0f, 1f, b, 6),
            Tensor.Uniform(rng, -1f, 1f, b, 6), Tensor.Uniform(rng, 0f, 1f, b, 6, tOut));
    }

    [Theory]
    [InlineData(true, true, true, true)]
    [InlineData(false, true, true, true)]
    [InlineData(true, false, true, true)]
    [InlineData(true, true, false, true)]
    [InlineData(true, true, true, false)]
    public void Network_gives_every_output_with_its_documented_shape_in_each_ablation(bool attention, bool factors, bool reference, bool hfi)
    {
        var o = Tiny with { EmotionAttention = attention, EmotionFactors = factors, ReferenceStream = reference, Integration = hfi ? Tiny.Integration : null };
        var net = new HarmoniousFeedbackNetwork(o, alignmentFeatures: 2, seed: 1);
        var outp = net.Forward(Batch(1, 3, 8, 17, 2, [17, 12, 3]));
        Assert.Equal([3, 7], outp.IssueLogits.Shape);
        Assert.Equal([3, 6], outp.Scores.Shape);
        Assert.Equal([3, 6, 4], outp.FrameDeficits.Shape);          // ⌊17/4⌋
        Assert.Equal([3, 6], outp.Emotion.Shape);
        Assert.Equal([4, 3, 1], outp.FrameLengths);                 // ⌊17/4⌋, ⌊12/4⌋, max(1, ⌊3/4⌋)
        Assert.Equal(factors, outp.Factors is not null);
        Assert.Equal(attention, outp.Attention is not null);
        Assert.Equal(hfi ? 3 : 1, outp.Iterates.Count);
        Assert.All(outp.Scores.ToArray(), s => Assert.InRange(s, 0f, 1f));
        Assert.All(outp.FrameDeficits.ToArray(), s => Assert.InRange(s, 0f, 1f));
    }

    [Fact]
    public void Network_without_the_reference_stream_needs_no_reference_or_alignment()
    {
        var net = new HarmoniousFeedbackNetwork(Tiny with { ReferenceStream = false }, alignmentFeatures: 2, seed: 1);
        var b = Batch(1, 2, 8, 16, 2, [16, 16]);
        var o = net.Forward(b with { Reference = null, Alignment = null });
        Assert.Equal([2, 7], o.IssueLogits.Shape);
        Assert.Equal(0, net.AlignmentFeatures);
    }

    [Fact]
    public void Network_gradients_match_finite_differences_for_every_parameter_of_a_tiny_model()
    {
        // Dropout off: a fresh dropout mask per forward pass would make the finite differences compare different functions
        // (the engine's Dropout has its own tests).
        var net = new HarmoniousFeedbackNetwork(Tiny with { Dropout = 0 }, alignmentFeatures: 2, seed: 3);
        net.Integration!.IssueMap.Weight.Data.Fill(0.2f);
        var batch = Batch(2, 2, 8, 8, 2, [8, 6]);
        var y = Targets(3, 2, 2);
        var ps = net.Parameters().ToArray();
        var options = new HfnTrainingOptions();
        // h = 5e-4: max-pooling, the masked max over time and ReLU have kinks; these seeds keep every kink farther than h away
        Check(_ => HfnObjective.Compute(net, net.Forward(batch), y, options, null).Total.Reshape(1), ps, h: 5e-4f, atol: 3e-3);
    }

    [Fact]
    public void Network_trained_twice_with_the_same_seed_has_bit_identical_weights()
    {
        float[][] Train()
        {
            var net = new HarmoniousFeedbackNetwork(Tiny, 2, seed: 11);
            var opt = new AdamW(net.Parameters(), 1e-2, weightDecay: 1e-2);
            var batch = Batch(4, 3, 8, 16, 2, [16, 13, 9]);
            var y = Targets(5, 3, 4);
            for (int step = 0; step < 3; step++)
            {
                opt.ZeroGrad();
                HfnObjective.Compute(net, net.Forward(batch), y, new HfnTrainingOptions(), null).Total.Backward();
                opt.Step();
            }
            return net.StateDict().OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value.ToArray()).ToArray();
        }
        var a = Train();
        var b = Train();
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i]);
    }

    [Fact]
    public void Network_loaded_from_a_state_dict_gives_identical_outputs()
    {
        var net = new HarmoniousFeedbackNetwork(Tiny, 2, seed: 11);
        var opt = new AdamW(net.Parameters(), 1e-2);
        var batch = Batch(4, 2, 8, 16, 2, [16, 11]);
        opt.ZeroGrad();
        HfnObjective.Compute(net, net.Forward(batch), Targets(5, 2, 4), new HfnTrainingOptions(), null).Total.Backward();
        opt.Step();
        net.Eval();
        var copy = new HarmoniousFeedbackNetwork(Tiny, 2, seed: 99);
        copy.LoadStateDict(net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone()));
        copy.Eval();
        using var _ = Tensor.NoGrad();
        var a = net.Forward(batch);
        var c = copy.Forward(batch);
        Assert.Equal(a.IssueLogits.ToArray(), c.IssueLogits.ToArray());
        Assert.Equal(a.FrameDeficits.ToArray(), c.FrameDeficits.ToArray());
        Assert.Equal(a.Emotion.ToArray(), c.Emotion.ToArray());
    }

    [Fact]
    public void Network_rejects_clips_shorter_than_the_pooling_factor_naming_the_minimum()
    {
        var net = new HarmoniousFeedbackNetwork(Tiny, 2, seed: 1);
        var ex = Assert.Throws<ShapeMismatchException>(() => net.Forward(Batch(1, 1, 8, 3, 2, [3])));
        Assert.Contains("at least 4 frames", ex.Message);
    }

    [Fact]
    public void Modality_dropout_drops_a_training_clips_audio_part_of_z_whole_keeps_its_notes_and_changes_nothing_in_eval()
    {
        var net = new HarmoniousFeedbackNetwork(Tiny with { Dropout = 0, ModalityDropout = 0.5 }, 2, seed: 5, noteFeatures: 3);
        var plain = new HarmoniousFeedbackNetwork(Tiny with { Dropout = 0 }, 2, seed: 5, noteFeatures: 3);
        var batch = Batch(2, 16, 8, 8, 2, [.. Enumerable.Repeat(8, 16)]) with { Notes = Tensor.Uniform(new NnRng(3), -1f, 1f, 16, 3) };
        var z = net.Forward(batch).Representation.ToArray();
        var z0 = plain.Forward(batch).Representation.ToArray();
        int audio = 2 * Tiny.FrameHidden + 4 * 2, width = audio + 3, dropped = 0;
        for (int b = 0; b < 16; b++)
        {
            var row = z.AsSpan(b * width, width);
            var row0 = z0.AsSpan(b * width, width);
            bool gone = row[..audio].IndexOfAnyExcept(0f) < 0;
            if (gone) dropped++;
            else Assert.Equal(row0[..audio].ToArray(), row[..audio].ToArray());
            Assert.Equal(row0[audio..].ToArray(), row[audio..].ToArray());        // the notes, always kept
        }
        Assert.InRange(dropped, 2, 14);
        net.Eval();
        plain.Eval();
        Assert.Equal(plain.Forward(batch).IssueLogits.ToArray(), net.Forward(batch).IssueLogits.ToArray());
        var e = Assert.Throws<OptionsValidationException>(() => new HarmoniousFeedbackNetwork(Tiny with { ModalityDropout = 0.5 }, 2, seed: 1));
        Assert.Contains("no note features", e.Message);
    }

    [Fact]
    public void Network_options_report_every_invalid_value_at_once()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new HarmoniousFeedbackNetworkOptions { NMels = 4, Channels = [16, 0], FrameHidden = 0 }.Validate());
        Assert.Equal(3, ex.Problems.Count); // NMels range, Channels[1], FrameHidden
    }

    [Fact]
    public void Published_training_defaults_are_adamw_3e_4_decay_1e_2_batch_32_and_40_epochs()
    {
        var o = new HfnTrainingOptions();
        Assert.Equal((3e-4, 1e-2, 32, 40), (o.LearningRate, o.WeightDecay, o.BatchSize, o.MaxEpochs));
        Assert.NotNull(o.EarlyStoppingPatience);
        var n = new HarmoniousFeedbackNetworkOptions();
        Assert.Equal(128, n.NMels);
        Assert.Equal([16, 32, 64, 64], n.Channels);
    }
}
