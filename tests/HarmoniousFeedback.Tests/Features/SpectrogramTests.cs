using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Tests.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public class SpectrogramTests
{
    [Theory]
    [InlineData(400, 100, 300)]  // non-power-of-two n_fft, centred shorter window (L = 50)
    [InlineData(256, 64, 201)]   // odd slack: L = floor(55/2) = 27
    [InlineData(512, 160, 512)]
    public void Matches_the_definition_computed_naively_in_double(int nFft, int hop, int win)
    {
        var x = DspReference.RandomSignal(3000, nFft + win, 0.3);
        var s = new Spectrogram(new SpectrogramOptions { NFft = nFft, HopLength = hop, WinLength = win }).Compute(x);
        var r = DspReference.PowerSpectrogram(x, nFft, hop, win);
        Assert.Equal(r.Length, s.Rows);
        for (int i = 0; i < s.Rows; i++)
            Assert.True(DspReference.RelL2(s.Row(i), r[i]) < 1e-5, $"frame {i}"); // float32 vs double: ~1e-7 expected
        Assert.Equal(hop / 16000.0, s.FrameTimes[1], 12);
    }

    [Fact]
    public void Uncentred_hamming_frames_start_at_i_hop_and_are_timed_at_their_centre()
    {
        var x = DspReference.RandomSignal(2000, 12);
        var o = new SpectrogramOptions { NFft = 256, HopLength = 100, Center = false, Window = WindowType.Hamming, PeriodicWindow = false };
        var s = new Spectrogram(o).Compute(x);
        Assert.Equal(1 + (2000 - 256) / 100, s.Rows);
        Assert.Equal((3 * 100 + 128) / 16000.0, s.FrameTimes[3], 12);
        var re = new double[256]; var im = new double[256];
        for (int m = 0; m < 256; m++) re[m] = x[300 + m] * (0.54 - 0.46 * Math.Cos(2 * Math.PI * m / 255));
        var (fr, fi) = DspReference.Dft(re, im);
        var expected = Enumerable.Range(0, 129).Select(k => fr[k] * fr[k] + fi[k] * fi[k]).ToArray();
        Assert.True(DspReference.RelL2(s.Row(3), expected) < 1e-5);
    }

    [Fact]
    public void Simd_frame_path_matches_scalar_reference()
    {
        var sp = new Spectrogram(new SpectrogramOptions { NFft = 1024, WinLength = 800 });
        var frame = DspReference.RandomSignal(1024, 9);
        var a = new float[513]; var b = new float[513];
        sp.ProcessFrame(frame, a); sp.ProcessFrameScalar(frame, b);
        for (int k = 0; k < 513; k++) Assert.Equal(b[k], a[k], 1e-4 * (1 + b[k]));
    }

    [Fact]
    public void Magnitude_is_the_square_root_of_power_and_parallel_equals_sequential()
    {
        var x = DspReference.RandomSignal(16000 * 4, 4);
        var p = new Spectrogram().Compute(x);
        var m = new Spectrogram(new SpectrogramOptions { Power = 1 }).Compute(x);
        for (int i = 0; i < p.Data.Length; i += 97) Assert.Equal(MathF.Sqrt(p.Data[i]), m.Data[i], 1e-5 * (1 + m.Data[i]));
        int saved = FeatureParallelism.MaxDegreeOfParallelism;
        try
        {
            FeatureParallelism.MaxDegreeOfParallelism = 1;
            var seq = new Spectrogram().Compute(x);
            Assert.Equal(seq.Data, p.Data); // frames are independent: bit-identical
        }
        finally { FeatureParallelism.MaxDegreeOfParallelism = saved; }
    }

    [Theory]
    [InlineData(2048, 160, true, 2.0, 48_017)]    // batched FFT, several blocks, a short last batch
    [InlineData(512, 160, false, 1.0, 7_000)]     // uncentred, magnitude
    [InlineData(400, 160, true, 2.0, 5_000)]      // not a power of two: the per-frame fallback
    [InlineData(2048, 512, true, 2.0, 1_000)]     // shorter than the FFT: reflected padding only
    public void Compute_gives_process_frame_frame_by_frame_bit_for_bit(int nFft, int hop, bool center, double power, int samples)
    {
        var rng = new Random(nFft + samples);
        var x = Enumerable.Range(0, samples).Select(i => (float)(0.4 * Math.Sin(i * 0.031) + 0.1 * (rng.NextDouble() - 0.5))).ToArray();
        var stft = new Spectrogram(new SpectrogramOptions { NFft = nFft, HopLength = hop, Center = center, Power = power });
        var got = stft.Compute(x);
        var padded = center ? HarmoniousFeedback.Dsp.Framing.Pad(x, nFft / 2, stft.Options.PadMode) : x;
        var want = new float[stft.Bins];
        for (int f = 0; f < got.Rows; f++)
        {
            stft.ProcessFrame(padded.AsSpan(f * hop, nFft), want);
            Assert.True(want.AsSpan().SequenceEqual(got.Row(f)), $"frame {f} of {got.Rows}");
        }
    }

    [Fact]
    public void Invalid_options_are_all_listed_with_values()
    {
        var e = Assert.Throws<FeatureParameterException>(() => new Spectrogram(new SpectrogramOptions { NFft = 511, HopLength = 0, WinLength = 600, Power = 3 }));
        Assert.Equal(4, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("NFft = 511", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("HopLength = 0", StringComparison.Ordinal));
    }
}
