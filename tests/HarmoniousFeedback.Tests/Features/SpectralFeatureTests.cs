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

    [Fact]
    public void Invalid_options_are_all_listed_with_values()
    {
        var e = Assert.Throws<FeatureParameterException>(() => new Spectrogram(new SpectrogramOptions { NFft = 511, HopLength = 0, WinLength = 600, Power = 3 }));
        Assert.Equal(4, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("NFft = 511", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("HopLength = 0", StringComparison.Ordinal));
    }
}

public class MelMfccTests
{
    private static double[][] NaiveLogMel(float[] x, MelSpectrogramOptions o, double topDb)
    {
        var s = DspReference.PowerSpectrogram(x, o.NFft, o.HopLength, o.WinLength ?? o.NFft);
        var h = MelFilterbank.DenseWeights(o.NFft, o.SampleRate, o.NMels, o.FMin, o.EffectiveFMax, o.MelScale, o.MelNorm);
        var d = s.Select(row => Enumerable.Range(0, o.NMels).Select(b =>
        {
            double m = 0;
            for (int k = 0; k < row.Length; k++) m += row[k] * h[k, b];
            return 10 * Math.Log10(Math.Max(m, 1e-10));
        }).ToArray()).ToArray();
        double mx = d.SelectMany(r => r).Max();
        return d.Select(r => r.Select(v => Math.Max(v, mx - topDb)).ToArray()).ToArray();
    }

    [Fact]
    public void Mfcc_with_librosa_like_options_matches_a_naive_double_pipeline()
    {
        // A loud burst then near-silence: the clip-level top_db clamp is active in the quiet part.
        var x = DspReference.RandomSignal(8000, 21, 0.5);
        for (int i = 4000; i < 8000; i++) x[i] *= 1e-6f;
        var mel = new MelSpectrogramOptions { NFft = 400, HopLength = 128, NMels = 40, FMin = 60, FMax = 7600, MelScale = MelScale.Slaney, MelNorm = MelNorm.Slaney };
        var o = new MfccOptions { Mel = mel, NMfcc = 13, TopDb = 60 };
        var c = new Mfcc(o).Compute(x);
        var d = NaiveLogMel(x, mel, 60);
        Assert.Equal(d.Length, c.Rows);
        double worst = 0;
        for (int i = 0; i < c.Rows; i++)
            for (int q = 0; q < 13; q++)
            {
                double a = q == 0 ? Math.Sqrt(1.0 / 40) : Math.Sqrt(2.0 / 40), e = 0;
                for (int b = 0; b < 40; b++) e += d[i][b] * a * Math.Cos(Math.PI * q * (b + 0.5) / 40);
                worst = Math.Max(worst, Math.Abs(e - c[i, q]));
            }
        Assert.True(worst < 0.01, $"max |Δ| = {worst}"); // anchors allow 0.1; float32 gives ~1e-4
        var lm = new LogMelSpectrogram(o.ToLogMelOptions()).Compute(x);
        Assert.Equal(lm.Data.Max() - 60, lm.Data.Min(), 1e-3); // clamp is per clip: the floor is exactly max − top_db
    }

    [Fact]
    public void Silence_gives_the_amin_floor_everywhere()
    {
        var z = new float[4000];
        var lm = new LogMelSpectrogram().Compute(z);
        Assert.All(lm.Data, v => Assert.Equal(-100f, v, 1e-4));
        var c = new Mfcc().Compute(z);
        for (int i = 0; i < c.Rows; i++)
        {
            Assert.Equal(-100 * Math.Sqrt(64), c[i, 0], 1e-2); // c0 = Σ D·√(1/64) = −100·64/8
            for (int q = 1; q < 18; q++) Assert.Equal(0, c[i, q], 1e-3);
        }
    }

    [Fact]
    public void Frame_api_equals_clip_api_when_given_the_clip_maximum()
    {
        var x = DspReference.RandomSignal(5000, 8, 0.2);
        var mf = new Mfcc();
        var all = mf.Compute(x);
        var lm = new LogMelSpectrogram().Compute(x);
        float mx = lm.Data.Max();
        var padded = Framing.Pad(x, 256, PadMode.Reflect);
        var o = new float[18];
        mf.ProcessFrame(padded.AsSpan(3 * 160, 512), o, mx);
        for (int q = 0; q < 18; q++) Assert.Equal(all[3, q], o[q], 1e-3);
    }

    [Fact]
    public void Nmfcc_larger_than_nmels_is_rejected_naming_both()
    {
        var e = Assert.Throws<FeatureParameterException>(() => new Mfcc(new MfccOptions { NMfcc = 80 }));
        Assert.Contains("NMfcc = 80", e.Message); Assert.Contains("NMels = 64", e.Message);
    }

    [Fact]
    public void Presets_differ_only_in_documented_conventions()
    {
        Assert.Equal(MelScale.Htk, MfccOptions.Torchaudio.Mel.MelScale);
        Assert.Equal(MelNorm.None, MfccOptions.Torchaudio.Mel.MelNorm);
        Assert.Equal(PadMode.Reflect, MfccOptions.Torchaudio.Mel.PadMode);
        Assert.Equal(MelScale.Slaney, MfccOptions.Librosa.Mel.MelScale);
        Assert.Equal(MelNorm.Slaney, MfccOptions.Librosa.Mel.MelNorm);
        Assert.Equal(PadMode.Constant, MfccOptions.Librosa.Mel.PadMode);
        Assert.Equal(20, MfccOptions.Librosa.NMfcc);
        var x = DspReference.RandomSignal(22050, 1, 0.3);
        var c = new Mfcc(MfccOptions.Librosa).Compute(x); // runs and has librosa's shape: 1 + N/512 frames × 20
        Assert.Equal((1 + 22050 / 512, 20), (c.Rows, c.Columns));
    }
}

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

public class SpectralDescriptorTests
{
    [Fact]
    public void Single_bin_spectrum_has_that_bins_frequency_as_centroid_and_zero_bandwidth()
    {
        var f = SpectralDescriptors.BinFrequencies(512, 16000);
        var s = new float[257]; s[40] = 3f;
        Assert.Equal(1250f, SpectralDescriptors.Centroid(s, f));
        Assert.Equal(0f, SpectralDescriptors.Bandwidth(s, f, 1250f));
        Assert.Equal(1250f, SpectralDescriptors.Rolloff(s, f));
        s[80] = 3f; // two equal bins: centroid midway, bandwidth half the distance
        float c = SpectralDescriptors.Centroid(s, f);
        Assert.Equal(1875f, c, 1e-3);
        Assert.Equal(625f, SpectralDescriptors.Bandwidth(s, f, c), 1e-2);
    }

    [Fact]
    public void Flatness_is_one_for_flat_and_small_for_peaky_spectra_and_flux_is_rectified()
    {
        Assert.Equal(1f, SpectralDescriptors.Flatness(Enumerable.Repeat(0.5f, 100).ToArray()), 1e-5);
        var peaky = new float[100]; peaky[3] = 1;
        Assert.True(SpectralDescriptors.Flatness(peaky) < 1e-6);
        Assert.Equal(5f, SpectralDescriptors.Flux([3f, 4f, 0f], [0f, 0f, 9f])); // decrease in bin 2 ignored
        var z = SpectralDescriptors.Compute(new float[4000]);
        Assert.All(z.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Rolloff_of_a_flat_spectrum_is_at_85_percent()
    {
        var f = SpectralDescriptors.BinFrequencies(200, 100); // 0.5 Hz bins, 101 bins
        var s = Enumerable.Repeat(1f, 101).ToArray();
        Assert.Equal(f[(int)Math.Ceiling(0.85 * 101) - 1], SpectralDescriptors.Rolloff(s, f));
    }

    [Theory]
    [InlineData(440.0, 9)]     // A
    [InlineData(261.63, 0)]    // C4
    [InlineData(392.0, 7)]     // G4
    public void Chroma_of_a_tone_peaks_at_its_pitch_class(double f, int pc)
    {
        var x = Enumerable.Range(0, 16000).Select(t => (float)Math.Sin(2 * Math.PI * f * t / 16000)).ToArray();
        var c = new Chroma(new ChromaOptions { Stft = new SpectrogramOptions { NFft = 4096, HopLength = 512 } }).Compute(x);
        int row = c.Rows / 2;
        int arg = Enumerable.Range(0, 12).MaxBy(q => c[row, q]);
        Assert.Equal(pc, arg);
        Assert.Equal(1f, c[row, pc]);
    }

    [Fact]
    public void Onset_strength_peaks_right_after_a_step_onset()
    {
        var x = new float[16000];
        var noise = DspReference.RandomSignal(8000, 5, 0.5);
        noise.CopyTo(x, 8000); // onset at 0.5 s = sample 8000 = frame 50
        var o = OnsetStrength.Compute(x);
        int arg = Enumerable.Range(0, o.Rows).MaxBy(i => o[i, 0]);
        Assert.InRange(arg, 48, 53);
        Assert.Equal(0f, o[0, 0]);
    }
}
