using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;
using Xunit;
using static HarmoniousFeedback.Tests.Nn.GradCheck;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

public sealed class EmotionAttentionTests
{
    private static Tensor Spectrogram(int seed, int b, int m, int t) => Tensor.Uniform(new NnRng(seed), 0f, 1f, b, 1, m, t);

    [Fact]
    public void Attention_gradients_match_finite_differences_for_spectrogram_factors_and_every_parameter()
    {
        var att = new EmotionAttention(nMels: 4, factors: 3, embeddingDim: 3, new NnRng(3));
        var x = Spectrogram(1, 2, 4, 5);
        var e = Rand(2, 2, 3);
        var inputs = new[] { x, e }.Concat(att.Parameters()).ToArray();
        // h = 1e-3: the onset term max(0, ΔE) has a kink; with these seeds no ΔE lies within ±h·(1/M) of 0
        Check(a => x * att.Forward(a[0], a[1]), inputs, h: 1e-3f);
    }

    [Fact]
    public void Attention_map_is_exactly_one_when_every_logit_is_zero()
    {
        var att = new EmotionAttention(6, 3, 4, new NnRng(1));
        foreach (var p in att.Parameters()) p.Data.Clear();
        var a = att.Forward(Spectrogram(2, 3, 6, 9), Rand(3, 3, 3));
        Assert.All(a.ToArray(), v => Assert.Equal(1f, v)); // 2·σ(0) = 1 exactly in float
    }

    [Fact]
    public void Attention_without_factors_gives_identical_maps_to_identical_spectrograms()
    {
        var att = new EmotionAttention(4, 3, 2, new NnRng(5));
        var one = Spectrogram(4, 1, 4, 7);
        var twice = Tensor.Concat([one, one], 0);
        var a = att.Forward(twice, null);
        Assert.Equal(a.ToArray().AsSpan(0, 28).ToArray(), a.ToArray().AsSpan(28, 28).ToArray());
    }

    [Fact]
    public void Attention_depends_on_the_factors_when_they_are_given()
    {
        var att = new EmotionAttention(4, 3, 2, new NnRng(5));
        var x = Spectrogram(4, 1, 4, 7);
        var calm = att.Forward(x, new Tensor([-0.9f, 0f, 0.1f], 1, 3)).ToArray();
        var lively = att.Forward(x, new Tensor([0.9f, 0.5f, 0.9f], 1, 3)).ToArray();
        Assert.True(calm.Zip(lively).Max(p => Math.Abs(p.First - p.Second)) > 1e-3f);
    }

    [Fact]
    public void Attention_rejects_a_spectrogram_with_the_wrong_number_of_mel_bins()
    {
        var att = new EmotionAttention(8, 3, 2, new NnRng(1));
        var ex = Assert.Throws<ShapeMismatchException>(() => att.Forward(Spectrogram(1, 1, 4, 5), null));
        Assert.Contains("[B, 1, 8, T]", ex.Message);
    }
}
