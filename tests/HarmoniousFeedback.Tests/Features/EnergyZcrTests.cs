using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Tests.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public class EnergyZcrTests
{
    [Fact]
    public void Zcr_counts_sign_changes_with_zero_positive_over_w_minus_1_pairs()
    {
        Assert.Equal(3f / 4f, ZeroCrossingRate.ProcessFrame([1f, -1f, 0f, -0f, -2f])); // 0 and −0 are "positive"
        Assert.Equal(0f, ZeroCrossingRate.ProcessFrame([0f, 0f, 0f]));
        Assert.Equal(1f, ZeroCrossingRate.ProcessFrame([-1f, 1f, -1f, 1f]));
    }

    [Fact]
    public void Zcr_of_a_sine_is_twice_its_frequency_over_the_rate()
    {
        const double f = 440;
        var x = Enumerable.Range(0, 16000).Select(t => (float)Math.Sin(2 * Math.PI * f * t / 16000 + 0.3)).ToArray();
        var z = new ZeroCrossingRate().Compute(x);
        Assert.Equal(2 * f / 16000, z[50, 0], 0.01);
    }

    [Fact]
    public void Energy_is_the_unwindowed_mean_square_of_the_w_centred_samples()
    {
        var x = DspReference.RandomSignal(2000, 3);
        var o = new FrameOptions { NFft = 512, HopLength = 100, WinLength = 301 };
        var e = new ShortTimeEnergy(o).Compute(x);
        var padded = Framing.Pad(x, 256, PadMode.Reflect);
        int i = 7, l = (512 - 301) / 2;
        double s = 0;
        for (int m = 0; m < 301; m++) s += padded[i * 100 + l + m] * (double)padded[i * 100 + l + m];
        Assert.Equal(s / 301, e[i, 0], 1e-7);
        Assert.Equal(10 * Math.Log10(s / 301 + 1e-10), e[i, 1], 1e-4);
        var z = new ShortTimeEnergy().Compute(new float[1000]);
        Assert.All(Enumerable.Range(0, z.Rows), r => { Assert.Equal(0f, z[r, 0]); Assert.Equal(-100f, z[r, 1], 1e-4); });
    }
}
