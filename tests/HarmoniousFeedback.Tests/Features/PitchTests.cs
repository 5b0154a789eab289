using HarmoniousFeedback.Features;
using HarmoniousFeedback.Tests.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public class PitchTests
{
    private static double Cents(double est, double truth) => 1200 * Math.Log2(est / truth);

    [Theory]
    [InlineData(58.0, 1)]
    [InlineData(150.0, 6)]
    [InlineData(523.25, 5)]
    [InlineData(987.8, 4)]
    public void Steady_tones_are_tracked_within_10_cents(double f0, int harmonics)
    {
        var x = Synth.Harmonic(_ => f0, 1.0, Enumerable.Range(1, harmonics).ToArray());
        var p = new PitchTracker().Compute(x);
        for (int i = 10; i < p.Rows - 10; i++)
        {
            Assert.True(p[i, 0] > 0, $"frame {i} unvoiced");
            Assert.True(Math.Abs(Cents(p[i, 0], f0)) < 10, $"frame {i}: {p[i, 0]} Hz vs {f0}");
            Assert.True(p[i, 1] > 0.9f);
        }
    }

    [Fact]
    public void Missing_fundamental_gives_the_period_not_an_octave_above()
    {
        var x = Synth.Harmonic(_ => 110.0, 1.0, [2, 3, 4, 5, 6], weight: _ => 1.0);
        var p = new PitchTracker().Compute(x);
        for (int i = 10; i < p.Rows - 10; i++) Assert.True(Math.Abs(Cents(p[i, 0], 110)) < 20, $"frame {i}: {p[i, 0]}");
    }

    [Fact]
    public void Exponential_glide_is_followed_within_50_cents()
    {
        Func<double, double> f0 = t => 120 * Math.Pow(2, 1.5 * t); // 1.5 octaves per second
        var x = Synth.Harmonic(f0, 1.5, [1, 2, 3, 4, 5, 6]);
        var p = new PitchTracker(new PitchOptions { HopLength = 80 }).Compute(x);
        for (int i = 12; i < p.Rows - 12; i++) Assert.True(Math.Abs(Cents(p[i, 0], f0(p.FrameTimes[i]))) < 50, $"t={p.FrameTimes[i]}: {p[i, 0]}");
    }

    [Fact]
    public void Noise_and_silence_are_unvoiced()
    {
        var noise = DspReference.RandomSignal(16000, 77, 0.3);
        var p = new PitchTracker().Compute(noise);
        Assert.True(Enumerable.Range(0, p.Rows).Count(i => p[i, 0] == 0) >= 0.9 * p.Rows);
        var s = new PitchTracker().Compute(new float[8000]);
        Assert.All(s.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Frame_length_too_short_for_fmin_is_rejected()
    {
        var e = Assert.Throws<FeatureParameterException>(() => new PitchTracker(new PitchOptions { FMin = 40, FrameLength = 512 }));
        Assert.Contains("FrameLength = 512", e.Message);
    }
}
