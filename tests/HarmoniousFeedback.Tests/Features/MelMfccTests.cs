using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Tests.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

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
