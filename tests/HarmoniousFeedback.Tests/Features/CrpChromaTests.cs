using HarmoniousFeedback.Features;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public sealed class CrpChromaTests
{
    private static float[] Tone(double f0, int partials, double slope, double seconds = 1.0)
    {
        var x = new float[(int)(seconds * 16000)];
        for (int k = 1; k <= partials; k++)
            for (int n = 0; n < x.Length; n++)
                x[n] += (float)(0.2 * Math.Pow(k, -slope) * Math.Sin(2 * Math.PI * k * f0 * n / 16000));
        return x;
    }

    private static float[] MeanRow(FeatureMatrix m, int from, int to)
    {
        var v = new float[m.Columns];
        for (int i = from; i < to; i++)
            for (int c = 0; c < m.Columns; c++) v[c] += m.Data[i * m.Columns + c] / (to - from);
        return v;
    }

    private static double Cosine(float[] a, float[] b)
    {
        double d = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return d / Math.Sqrt(na * nb);
    }

    [Fact]
    public void Reduction_matrix_equals_dct_mask_inverse_dct_and_octave_folding_done_directly()
    {
        // direct evaluation on one random log-pitch vector: orthonormal DCT-II, zero coefficients 1 … 54, inverse, fold
        var rng = new SplitMix64(7);
        var l = Enumerable.Range(0, CrpChroma.Pitches).Select(_ => rng.NextDouble()).ToArray();
        int n = CrpChroma.Pitches;
        var coef = new double[n];
        for (int k = 0; k < n; k++)
            for (int p = 0; p < n; p++) coef[k] += Math.Sqrt((k == 0 ? 1.0 : 2.0) / n) * Math.Cos(Math.PI * (p + 0.5) * k / n) * l[p];
        for (int k = 0; k < 54; k++) coef[k] = 0;
        var chroma = new double[12];
        for (int p = 0; p < n; p++)
        {
            double v = 0;
            for (int k = 0; k < n; k++) v += Math.Sqrt((k == 0 ? 1.0 : 2.0) / n) * Math.Cos(Math.PI * (p + 0.5) * k / n) * coef[k];
            chroma[p % 12] += v;
        }
        var r = CrpChroma.Reduction(55);
        for (int c = 0; c < 12; c++)
        {
            double viaMatrix = 0;
            for (int p = 0; p < n; p++) viaMatrix += r[c * n + p] * l[p];
            Assert.Equal(chroma[c], viaMatrix, 1e-4);   // float matrix entries: ≈ 1e-7 each over 120 terms
        }
    }

    [Fact]
    public void A_tone_peaks_at_its_pitch_class_and_silence_is_zero()
    {
        var crp = new CrpChroma();
        var a = crp.Compute(Tone(440, 8, 1.0));
        var v = MeanRow(a, 10, a.Rows - 10);
        Assert.Equal(9, Array.IndexOf(v, v.Max()));                      // A
        var silent = crp.Compute(new float[16000]);
        Assert.All(silent.Data, x => Assert.Equal(0f, x));
        for (int i = 10; i < a.Rows - 10; i++)
        {
            var row = a.Data.AsSpan(i * 12, 12);
            Assert.Equal(1.0, Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(row, row)), 1e-4);   // unit length
        }
    }

    [Fact]
    public void Crp_of_one_chord_in_two_timbres_agrees_better_than_librosa_chroma()
    {
        // C-E-G with a bright (slope 0.5, 12 partials) and a dull (slope 3, 4 partials) spectrum: the notes are the same,
        // the envelopes are not. CRP removes the envelope, so its two profiles are closer than chroma_stft's.
        float[] Chord(int partials, double slope)
        {
            var x = new float[16000];
            foreach (var f in new[] { 261.63, 329.63, 392.0 })
            {
                var t = Tone(f, partials, slope);
                for (int i = 0; i < x.Length; i++) x[i] += t[i];
            }
            return x;
        }
        float[] bright = Chord(12, 0.5), dull = Chord(4, 3.0);
        var crp = new CrpChroma();
        var chroma = new Chroma(new ChromaOptions { Stft = new SpectrogramOptions { NFft = 2048, HopLength = 160 } });
        FeatureMatrix cb = crp.Compute(bright), cd = crp.Compute(dull), hb = chroma.Compute(bright), hd = chroma.Compute(dull);
        double crpCos = Cosine(MeanRow(cb, 10, cb.Rows - 10), MeanRow(cd, 10, cd.Rows - 10));
        double chromaCos = Cosine(MeanRow(hb, 10, hb.Rows - 10), MeanRow(hd, 10, hd.Rows - 10));
        Assert.True(1 - crpCos < 1 - chromaCos, $"cosine distance CRP {1 - crpCos:F4} vs chroma {1 - chromaCos:F4}");
    }

    [Fact]
    public void Invalid_options_are_all_reported()
    {
        var e = Assert.Throws<FeatureParameterException>(() => new CrpChroma(new CrpChromaOptions { LogFactor = 0, FirstKeptCoefficient = 1, Tuning = 2 }));
        Assert.Contains("LogFactor", e.Message);
        Assert.Contains("FirstKeptCoefficient", e.Message);
        Assert.Contains("Tuning", e.Message);
    }
}
