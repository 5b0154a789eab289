using HarmoniousFeedback.Audio;
using Xunit;
using Xunit.Abstractions;

namespace HarmoniousFeedback.Tests.Audio;

public class ResamplerTests(ITestOutputHelper output)
{
    private static float[] Sine(double freq, int rate, int n, double amp = 0.5, double phase = 0.3)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(amp * Math.Sin(2 * Math.PI * freq * i / rate + phase));
        return x;
    }

    /// <summary>
    /// Spurious level in dB: least-squares fit of a·cos + b·sin at <paramref name="freq"/> over y[edge .. n − edge),
    /// then 10·log10(‖residual‖² / ‖fit‖²). Everything that is not the tone — aliasing, imaging, phase-dependent gain
    /// ripple, DC — lands in the residual.
    /// </summary>
    internal static double SpuriousDb(float[] y, double freq, int rate, int edge)
    {
        double scc = 0, sss = 0, scs = 0, syc = 0, sys = 0;
        for (int i = edge; i < y.Length - edge; i++)
        {
            double w = 2 * Math.PI * freq * i / rate, c = Math.Cos(w), s = Math.Sin(w);
            scc += c * c; sss += s * s; scs += c * s; syc += y[i] * c; sys += y[i] * s;
        }
        double det = scc * sss - scs * scs;
        double a = (syc * sss - sys * scs) / det, b = (sys * scc - syc * scs) / det;
        double fit = 0, res = 0;
        for (int i = edge; i < y.Length - edge; i++)
        {
            double w = 2 * Math.PI * freq * i / rate;
            double f = a * Math.Cos(w) + b * Math.Sin(w);
            fit += f * f;
            res += (y[i] - f) * (y[i] - f);
        }
        return 10 * Math.Log10(res / fit);
    }

    // The bar: spurious energy below −60 dB relative to the tone (issue 2). Edges (64 output samples, more than the
    // kernel's reach of W input samples at either end) are excluded because the zero padding there is not the tone.
    private const double BarDb = -60;

    [Theory]
    [InlineData(44100, 16000, ResamplingMethod.SincInterpHann)]
    [InlineData(16000, 44100, ResamplingMethod.SincInterpHann)]
    [InlineData(48000, 16000, ResamplingMethod.SincInterpHann)]
    [InlineData(44100, 16000, ResamplingMethod.SincInterpKaiser)]
    [InlineData(22050, 16000, ResamplingMethod.SincInterpHann)]
    public void One_kHz_tone_keeps_spurious_energy_below_minus_60_dB(int from, int to, ResamplingMethod method)
    {
        var x = Sine(1000, from, from / 2); // 0.5 s
        var y = Resampler.Resample(x, from, to, new ResampleOptions { ResamplingMethod = method });
        Assert.Equal((long)Math.Ceiling(x.Length * (double)to / from), y.Length);
        double db = SpuriousDb(y, 1000, to, 64);
        output.WriteLine($"{from} → {to} {method}: spurious {db:F1} dB");
        Assert.True(db < BarDb, $"spurious level {db:F1} dB is not below {BarDb} dB");
    }

    [Fact]
    public void Measurement_detects_a_bad_resampler()
    {
        // Guard that SpuriousDb can fail: naive decimation by dropping samples (no interpolation) of the same tone.
        var x = Sine(1000, 44100, 22050);
        var y = new float[x.Length * 160 / 441];
        for (int i = 0; i < y.Length; i++) y[i] = x[(int)((long)i * 441 / 160)];
        Assert.True(SpuriousDb(y, 1000, 16000, 64) > BarDb);
    }

    [Fact]
    public void Tone_amplitude_is_kept_in_the_passband()
    {
        var y = Resampler.Resample(Sine(1000, 44100, 22050, amp: 0.5), 44100, 16000);
        double peak = y.Skip(64).Take(y.Length - 128).Max(v => Math.Abs(v));
        Assert.Equal(0.5, peak, 0.005); // passband gain within 1% (Hann, width 6, 1 kHz ≪ 7.92 kHz cut-off)
    }

    /// <summary>
    /// A tone above the new Nyquist (8 kHz) must not alias back (10 kHz would land on 6 kHz). The stop-band level
    /// depends on the distance from the 7.92 kHz cut-off: with the torchaudio defaults (Hann, width 6) the transition
    /// band is about 8 kHz / 6 wide and the Hann side lobes stay near −55 dB, so 10 kHz is only 45 dB down and 12 kHz
    /// 55 dB (measured; asserted with 3 dB margin). A Kaiser window (β 14.77) with width 16 takes 10 kHz to −90 dB
    /// (asserted at −60). Use that preset when content near the new Nyquist matters.
    /// </summary>
    [Theory]
    [InlineData(10000, ResamplingMethod.SincInterpHann, 6, -42)]
    [InlineData(12000, ResamplingMethod.SincInterpHann, 6, -52)]
    [InlineData(10000, ResamplingMethod.SincInterpKaiser, 16, -60)]
    public void Tone_above_the_new_nyquist_is_attenuated(int freq, ResamplingMethod method, int width, double maxDb)
    {
        var x = Sine(freq, 44100, 22050);
        var y = Resampler.Resample(x, 44100, 16000, new ResampleOptions { ResamplingMethod = method, LowpassFilterWidth = width });
        double e = y.Skip(64).Take(y.Length - 128).Sum(v => (double)v * v) / (y.Length - 128);
        double ein = x.Sum(v => (double)v * v) / x.Length;
        double db = 10 * Math.Log10(e / ein);
        output.WriteLine($"{freq} Hz {method} width {width}: alias level {db:F1} dB");
        Assert.True(db < maxDb, $"alias level {db:F1} dB is not below {maxDb} dB");
    }

    [Theory]
    [InlineData(44100, 16000)]
    [InlineData(16000, 44100)]
    [InlineData(48000, 16000)]
    public void DC_is_preserved_away_from_the_edges(int from, int to)
    {
        var x = Enumerable.Repeat(0.25f, from / 4).ToArray();
        var y = Resampler.Resample(x, from, to);
        // Each phase's taps sum to 1 only within the kernel's truncation error (torchaudio's kernel is not renormalised):
        // 1e-3 relative is the bar, the measured worst case is printed.
        double worst = y.Skip(64).Take(y.Length - 128).Max(v => Math.Abs(v / 0.25 - 1));
        output.WriteLine($"{from} → {to}: worst relative DC error {worst:E2}");
        Assert.True(worst < 1e-3, $"DC gain error {worst:E2}");
    }

    [Fact]
    public void Identity_ratio_returns_a_copy()
    {
        var x = Sine(440, 16000, 1000);
        var y = Resampler.Resample(x, 16000, 16000);
        Assert.Equal(x, y);
        Assert.NotSame(x, y);
        var clip = new AudioClip(x, 16000, "a.wav");
        var c2 = Resampler.Resample(clip, 16000);
        Assert.NotSame(clip.Channels[0], c2.Channels[0]);
        Assert.Equal("a.wav", c2.Source);
    }

    [Theory]
    [InlineData(0, 44100, 16000, 0)]
    [InlineData(1, 44100, 16000, 1)]
    [InlineData(441, 44100, 16000, 160)]
    [InlineData(442, 44100, 16000, 161)]
    [InlineData(1000, 16000, 44100, 2757)] // ⌈1000·441/160⌉ = ⌈2756.25⌉
    public void Output_length_is_ceil_like_torchaudio(int n, int from, int to, int expected)
    {
        var r = new Resampler(new ResampleOptions { OrigFreq = from, NewFreq = to });
        Assert.Equal(expected, r.OutputLength(n));
        Assert.Equal(expected, r.Process(new float[n]).Length);
    }

    [Fact]
    public void Polyphase_dot_products_match_a_direct_evaluation_of_the_kernel_formula()
    {
        // Scalar reference: y[m] = Σ_n x[n]·h(n/O − m/N), h(t) = (base/O)·sinc(π base t)·hann(base t), |base t| < 6.
        const int o = 441, nn = 160;
        double baseF = nn * 0.99;
        var x = new float[2000];
        var rng = new Random(7);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        var y = Resampler.Resample(x, 44100, 16000);
        foreach (int m in new[] { 0, 1, 5, 159, 160, 333, y.Length - 1 })
        {
            double acc = 0;
            for (int n = 0; n < x.Length; n++)
            {
                double t = ((double)n / o - (double)m / nn) * baseF;
                if (Math.Abs(t) >= 6) continue;
                double u = Math.PI * t;
                acc += x[n] * (u == 0 ? 1 : Math.Sin(u) / u) * Math.Pow(Math.Cos(t * Math.PI / 12), 2) * baseF / o;
            }
            Assert.Equal(acc, y[m], 1e-5); // float32 coefficients and accumulation over ~36 taps
        }
    }

    [Fact]
    public void Long_signals_processed_in_parallel_blocks_equal_the_sequential_span_path()
    {
        var x = Sine(1234, 44100, 200_000);
        var r = new Resampler(new ResampleOptions { OrigFreq = 44100, NewFreq = 16000 });
        var parallel = r.Process(x);
        var seq = new float[r.OutputLength(x.Length)];
        r.Process(x, seq);
        Assert.Equal(seq, parallel);
    }

    [Fact]
    public void Multichannel_clip_resamples_each_channel()
    {
        var l = Sine(500, 48000, 4800);
        var r = Sine(700, 48000, 4800);
        var clip = Resampler.Resample(new AudioClip([l, r], 48000, "s.wav"), 16000);
        Assert.Equal(16000, clip.SampleRate);
        Assert.Equal(Resampler.Resample(l, 48000, 16000), clip.Channels[0]);
        Assert.Equal(Resampler.Resample(r, 48000, 16000), clip.Channels[1]);
    }

    [Fact]
    public void Invalid_options_report_every_problem()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new Resampler(new ResampleOptions
        {
            OrigFreq = 0, NewFreq = -5, LowpassFilterWidth = 0, Rolloff = 1.5, Beta = -1,
        }));
        Assert.Equal(5, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("OrigFreq = 0"));
        Assert.Contains(e.Problems, p => p.StartsWith("Rolloff = 1.5"));
        var big = Assert.Throws<OptionsValidationException>(() => new Resampler(new ResampleOptions { OrigFreq = 1_000_003, NewFreq = 999_983, LowpassFilterWidth = 64 }));
        Assert.Contains("filter coefficients", big.Message);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    // References: the power series summed in 50-digit decimal arithmetic (Python decimal); I0(1) also in
    // Abramowitz & Stegun table 9.8 (1.266065878).
    [InlineData(1.0, 1.2660658777520083)]
    [InlineData(10.0, 2815.7166284662545)]
    [InlineData(14.769656459379492, 271903.64068145662)] // torchaudio's default Kaiser β
    public void Bessel_i0_matches_reference_values(double x, double expected)
        => Assert.Equal(1, Resampler.BesselI0(x) / expected, 1e-12);

    [Fact]
    public void Span_overload_checks_the_output_length_and_clip_rate()
    {
        var r = new Resampler(new ResampleOptions { OrigFreq = 48000, NewFreq = 16000 });
        Assert.Throws<ShapeMismatchException>(() => r.Process(new float[30], new float[9]));
        Assert.Throws<AudioFormatException>(() => r.Process(new AudioClip(new float[3], 44100)));
    }
}
