using HarmoniousFeedback.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Dsp;

public class SyntheticReverbTests
{
    private static float[] Ir(double rt60, int sr = 16_000, double preDelay = 0.01, double cutoff = 4000, ulong seed = 7) =>
        SyntheticReverb.ImpulseResponse(rt60, sr, preDelay, cutoff, new SplitMix64(seed));

    [Fact]
    public void The_impulse_response_has_unit_energy_its_pre_delay_and_decays_60_dB_over_rt60()
    {
        var h = Ir(0.8);
        Assert.Equal(160 + 12_800, h.Length);
        Assert.All(h[..160], v => Assert.Equal(0f, v));
        Assert.Equal(1.0, h.Sum(v => (double)v * v), 1e-4);
        // energy in the first and last 100 ms of the decay: the envelope falls 60 dB over RT60, so their ratio is
        // about 10^(6·(0.8 − 0.1)/0.8) (≈ 52.5 dB); the noise makes it approximate
        double Energy(int from, int to) => h[from..to].Sum(v => (double)v * v);
        double ratioDb = 10 * Math.Log10(Energy(160, 160 + 1600) / Energy(h.Length - 1600, h.Length));
        Assert.InRange(ratioDb, 49, 56);
    }

    [Fact]
    public void Convolving_with_a_unit_impulse_gives_the_dry_signal_back_and_a_delay_shifts_it()
    {
        var x = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(0.05 * i)).ToArray();
        var y = SyntheticReverb.Apply(x, [1f], wet: 1);
        Assert.Equal(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i], y[i], 1e-5);
        // h = δ[n − 3]: fully wet output is x delayed by 3, length |x| + 3; half wet mixes both
        var d = SyntheticReverb.Apply(x, [0f, 0f, 0f, 1f], wet: 0.5);
        Assert.Equal(x.Length + 3, d.Length);
        for (int i = 0; i < d.Length; i++)
        {
            double expected = 0.5 * (i < x.Length ? x[i] : 0) + 0.5 * (i >= 3 && i - 3 < x.Length ? x[i - 3] : 0);
            Assert.Equal(expected, d[i], 1e-5);
        }
    }

    [Fact]
    public void The_fft_convolution_matches_the_direct_sum()
    {
        var rng = new SplitMix64(3);
        var x = Enumerable.Range(0, 777).Select(_ => (float)rng.NextGaussian()).ToArray();
        var h = Ir(0.05, preDelay: 0.001);
        var y = SyntheticReverb.Apply(x, h, wet: 0.3);
        for (int n = 0; n < y.Length; n += 37)
        {
            double conv = 0;
            for (int k = 0; k < h.Length; k++)
                if (n - k >= 0 && n - k < x.Length) conv += h[k] * x[n - k];
            double expected = 0.3 * conv + 0.7 * (n < x.Length ? x[n] : 0);
            Assert.Equal(expected, y[n], 1e-4);
        }
    }

    [Fact]
    public void Out_of_range_parameters_are_refused_with_every_problem()
    {
        var e = Assert.Throws<FeatureParameterException>(() => SyntheticReverb.ImpulseResponse(0, 500, -1, 50, new SplitMix64(1)));
        Assert.Contains("rt60Seconds = 0", e.Message);
        Assert.Contains("sampleRate = 500", e.Message);
        Assert.Contains("preDelaySeconds = -1", e.Message);
        Assert.Contains("cutoffHz = 50", e.Message);
        var w = Assert.Throws<FeatureParameterException>(() => SyntheticReverb.Apply([1f], [], wet: 2));
        Assert.Contains("wet = 2", w.Message);
        Assert.Contains("empty", w.Message);
    }
}
