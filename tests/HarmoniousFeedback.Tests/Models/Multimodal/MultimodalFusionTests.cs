using HarmoniousFeedback.Models.Multimodal;
using HarmoniousFeedback.Nn;
using Xunit;
using static HarmoniousFeedback.Tests.Nn.GradCheck;

namespace HarmoniousFeedback.Tests.Models.Multimodal;

public class MultimodalFusionTests
{
    private static readonly ModalitySpec[] Specs = [new("lld", true, 3), new("score", true, 2), new("score-clip", false, 4)];

    private static ModalityInput[] Inputs(int[] lengths) =>
        [new(Rand(1, lengths.Length, lengths.Max(), 3), lengths), new(Rand(2, lengths.Length, lengths.Max(), 2), lengths), new(Rand(3, lengths.Length, 4), null)];

    [Fact]
    public void Attention_fusion_gives_logits_per_row_and_weights_over_modalities_that_sum_to_one()
    {
        var m = new MultimodalFusion(Specs, 4, new MultimodalFusionOptions { Dim = 8, Heads = 2 }, 1);
        m.Eval();
        var (logits, w) = m.Forward(Inputs([3, 2]));
        Assert.Equal([2, 4], logits.Shape.ToArray());
        Assert.Equal([2, 3], w!.Shape.ToArray());
        for (int b = 0; b < 2; b++) Assert.Equal(1.0, w.Data.Slice(b * 3, 3).ToArray().Sum(x => (double)x), 5); // softmax row over the present tokens
    }

    [Fact]
    public void Padded_steps_do_not_change_the_output()
    {
        var m = new MultimodalFusion(Specs, 4, new MultimodalFusionOptions { Dim = 8, Heads = 2 }, 2);
        m.Eval();
        var a = Inputs([2, 2]);
        var longer = a.Select(i => i.IsSequence ? new ModalityInput(Tensor.Concat([i.X, Tensor.Full(9f, 2, 1, i.X.Shape[2])], 1), i.Lengths) : i).ToArray();
        Assert.Equal(m.Forward(a).Logits.ToArray(), m.Forward(longer).Logits.ToArray());
    }

    [Fact]
    public void Early_fusion_refuses_sequences_that_are_not_aligned()
    {
        var m = new MultimodalFusion(Specs, 4, new MultimodalFusionOptions { Fusion = FusionMode.Early, Dim = 8, Heads = 2 }, 3);
        var x = Inputs([3, 2]);
        x[1] = new ModalityInput(x[1].X, [3, 1]);
        var e = Assert.Throws<ShapeMismatchException>(() => m.Forward(x));
        Assert.Contains("aligned", e.Message);
    }

    [Fact]
    public void Modality_dropout_never_removes_every_modality_of_an_example()
    {
        // p = 0.9 with two modalities removes both in 81 % of draws; each row must still see one token (finite logits)
        var specs = new[] { new ModalitySpec("a", false, 2), new ModalitySpec("b", false, 2) };
        var m = new MultimodalFusion(specs, 3, new MultimodalFusionOptions { Dim = 4, Heads = 2, ModalityDropout = 0.9f }, 4);
        m.Train();
        var (logits, w) = m.Forward([new ModalityInput(Rand(5, 64, 2), null), new ModalityInput(Rand(6, 64, 2), null)]);
        Assert.All(logits.ToArray(), v => Assert.True(float.IsFinite(v)));
        for (int b = 0; b < 64; b++) Assert.Equal(1.0, w!.Data[b * 2] + w.Data[b * 2 + 1], 5);
    }

    [Fact]
    public void The_same_seed_builds_identical_weights_and_another_seed_different_ones()
    {
        var o = new MultimodalFusionOptions { Dim = 8, Heads = 2 };
        var a = new MultimodalFusion(Specs, 4, o, 7).StateDict();
        var b = new MultimodalFusion(Specs, 4, o, 7).StateDict();
        var c = new MultimodalFusion(Specs, 4, o, 8).StateDict();
        Assert.All(a, kv => Assert.Equal(kv.Value.ToArray(), b[kv.Key].ToArray()));
        Assert.Contains(a, kv => !kv.Value.ToArray().SequenceEqual(c[kv.Key].ToArray()));
    }

    [Fact]
    public void Options_report_every_invalid_value_at_once()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new MultimodalFusionOptions { Dim = 10, Heads = 4, Dropout = 1.2f, Ensemble = 0, ValidationFraction = 0 }.Validate());
        Assert.Contains(e.Problems, p => p.Contains("Dim = 10 must be divisible by Heads = 4"));
        Assert.Contains(e.Problems, p => p.Contains("Dropout = 1.2"));
        Assert.Contains(e.Problems, p => p.Contains("Ensemble"));
        Assert.Contains(e.Problems, p => p.Contains("ValidationFraction = 0"));
    }

    [Theory]
    [InlineData("Q1", 1, 1)]
    [InlineData("Q2", 1, 0)]
    [InlineData("Q3", 0, 0)]
    [InlineData("Q4", 0, 1)]
    public void Auxiliary_targets_follow_the_circumplex_quadrants(string label, int arousal, int valence)
        => Assert.Equal((arousal, valence), JointAudioText.AuxiliaryTargets(label));

    [Fact]
    public void Auxiliary_targets_refuse_labels_that_are_not_quadrants()
        => Assert.Contains("Q1–Q4", Assert.Throws<DatasetException>(() => JointAudioText.AuxiliaryTargets("happy")).Message);

    [Fact]
    public void A_clip_without_text_encodes_to_the_zero_token()
    {
        var m = new TextEncoder(5, 4, 0f, new NnRng(1), 1);
        m.Eval();
        var z = m.Forward([0, 0], 1, 2, [1]).Token;
        Assert.All(z.ToArray(), v => Assert.Equal(0f, v));
    }
}
