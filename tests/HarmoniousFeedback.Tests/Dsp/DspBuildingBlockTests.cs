using HarmoniousFeedback.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Dsp;

public class WindowAndFramingTests
{
    [Fact]
    public void Periodic_hann_uses_divisor_w_and_symmetric_uses_w_minus_1()
    {
        var p = Windows.Create(WindowType.Hann, 4, periodic: true);   // torch.hann_window(4) = [0, .5, 1, .5]
        Assert.Equal(new[] { 0f, 0.5f, 1f, 0.5f }, p.Select(v => MathF.Round(v, 6)));
        var s = Windows.Create(WindowType.Hann, 5, periodic: false);  // numpy.hanning(5) = [0, .5, 1, .5, 0]
        Assert.Equal(new[] { 0f, 0.5f, 1f, 0.5f, 0f }, s.Select(v => MathF.Round(v, 6)));
        var h = Windows.Create(WindowType.Hamming, 4);                 // torch.hamming_window(4) = [.08, .54, 1, .54]
        Assert.Equal(new[] { 0.08f, 0.54f, 1f, 0.54f }, h.Select(v => MathF.Round(v, 6)));
    }

    [Fact]
    public void PadCenter_puts_floor_half_of_the_slack_before()
    {
        var w = Windows.PadCenter([1f, 1f, 1f], 8); // L = floor(5/2) = 2
        Assert.Equal(new[] { 0f, 0f, 1f, 1f, 1f, 0f, 0f, 0f }, w);
    }

    [Fact]
    public void Reflect_padding_is_numpy_reflect_including_repeated_reflection()
    {
        // Expected values from numpy.pad(x, pad, mode=...)
        Assert.Equal(new[] { 3f, 2f, 1f, 2f, 3f, 4f, 3f, 2f }, Framing.Pad([1f, 2f, 3f, 4f], 2, PadMode.Reflect));
        Assert.Equal(new[] { 2f, 1f, 2f, 3f, 2f, 1f, 2f, 3f, 2f, 1f, 2f, 3f, 2f }, Framing.Pad([1f, 2f, 3f], 5, PadMode.Reflect));
        Assert.Equal(new[] { 1f, 1f, 1f, 2f, 3f, 3f, 3f }, Framing.Pad([1f, 2f, 3f], 2, PadMode.Edge));
        Assert.Equal(new[] { 0f, 1f, 2f, 0f }, Framing.Pad([1f, 2f], 1, PadMode.Constant));
        Assert.Equal(new[] { 5f, 5f, 5f }, Framing.Pad([5f], 1, PadMode.Reflect));
    }

    [Fact]
    public void Frame_count_follows_torch_stft()
    {
        Assert.Equal(201, Framing.FrameCount(32000, 512, 160, true));
        Assert.Equal(26, Framing.FrameCount(4000, 512, 160, true));
        Assert.Equal(0, Framing.FrameCount(0, 512, 160, true));
        Assert.Equal(1 + (32000 - 512) / 160, Framing.FrameCount(32000, 512, 160, false));
        Assert.Equal(0, Framing.FrameCount(100, 512, 160, false));
    }
}

public class MelFilterbankTests
{
    [Fact]
    public void Mel_scales_have_their_textbook_values_and_invert()
    {
        Assert.Equal(2595 * Math.Log10(2), MelFilterbank.HzToMel(700, MelScale.Htk), 1e-9);
        Assert.Equal(15.0, MelFilterbank.HzToMel(1000, MelScale.Slaney), 1e-12);
        Assert.Equal(7.5, MelFilterbank.HzToMel(500, MelScale.Slaney), 1e-12);
        Assert.Equal(15 + Math.Log(6.4) / (Math.Log(6.4) / 27), MelFilterbank.HzToMel(6400, MelScale.Slaney), 1e-9); // 42
        foreach (var s in new[] { MelScale.Htk, MelScale.Slaney })
            foreach (var f in new[] { 0.0, 123.4, 999.9, 1000.0, 4321.0, 8000.0 })
                Assert.Equal(f, MelFilterbank.MelToHz(MelFilterbank.HzToMel(f, s), s), 1e-6);
    }

    [Theory]
    [InlineData(MelScale.Htk, MelNorm.None)]
    [InlineData(MelScale.Slaney, MelNorm.Slaney)]
    [InlineData(MelScale.Slaney, MelNorm.None)]
    public void Sparse_filterbank_equals_dense_reference_and_scalar_path(MelScale scale, MelNorm norm)
    {
        var fb = new MelFilterbank(1024, 22050, 40, 50, 9000, scale, norm);
        var dense = MelFilterbank.DenseWeights(1024, 22050, 40, 50, 9000, scale, norm);
        var spec = DspReference.RandomSignal(513, 5).Select(MathF.Abs).ToArray();
        var mel = new float[40]; var mel2 = new float[40];
        fb.Apply(spec, mel); fb.ApplyScalar(spec, mel2);
        for (int b = 0; b < 40; b++)
        {
            double e = 0;
            for (int k = 0; k < 513; k++) e += spec[k] * dense[k, b];
            Assert.Equal(e, mel[b], Math.Abs(e) * 1e-5 + 1e-9);
            Assert.Equal(mel[b], mel2[b], Math.Abs(e) * 1e-5 + 1e-9);
        }
    }

    [Fact]
    public void Unnormalised_filters_peak_at_one_and_slaney_norm_scales_by_two_over_width()
    {
        // With fine frequency resolution every triangle gets a bin close to its peak.
        var none = MelFilterbank.DenseWeights(16384, 16000, 20, 0, 8000, MelScale.Slaney, MelNorm.None);
        var sl = MelFilterbank.DenseWeights(16384, 16000, 20, 0, 8000, MelScale.Slaney, MelNorm.Slaney);
        double m0 = MelFilterbank.HzToMel(0, MelScale.Slaney), m1 = MelFilterbank.HzToMel(8000, MelScale.Slaney);
        for (int b = 0; b < 20; b++)
        {
            double peak = 0, peakSl = 0;
            for (int k = 0; k < 8193; k++) { peak = Math.Max(peak, none[k, b]); peakSl = Math.Max(peakSl, sl[k, b]); }
            Assert.Equal(1.0, peak, 0.01);
            double lo = MelFilterbank.MelToHz(m0 + (m1 - m0) * b / 21, MelScale.Slaney), hi = MelFilterbank.MelToHz(m0 + (m1 - m0) * (b + 2) / 21, MelScale.Slaney);
            Assert.Equal(2 / (hi - lo), peakSl / peak, 1e-9);
        }
    }

    [Fact]
    public void Spectrum_of_the_wrong_size_is_rejected_with_both_sizes_named()
    {
        var fb = new MelFilterbank(512, 16000, 64, 0, 8000);
        var e = Assert.Throws<ShapeMismatchException>(() => fb.Apply(new float[1025], new float[64]));
        Assert.Contains("1025", e.Message); Assert.Contains("257", e.Message);
    }

    [Fact]
    public void Invalid_ranges_are_all_reported()
    {
        var e = Assert.Throws<FeatureParameterException>(() => new MelFilterbank(511, 16000, 0, 100, 9000));
        Assert.Equal(3, e.Problems.Count);
    }
}

public class DctTests
{
    [Fact]
    public void Orthonormal_dct_is_orthogonal_and_matches_the_formula()
    {
        const int n = 16;
        var dct = new Dct(n, n);
        var basis = new float[n][];
        for (int i = 0; i < n; i++) { var e = new float[n]; e[i] = 1; basis[i] = new float[n]; dct.Apply(e, basis[i]); }
        for (int q = 0; q < n; q++)
            for (int r = 0; r < n; r++)
            {
                double dot = 0;
                for (int b = 0; b < n; b++) dot += basis[b][q] * basis[b][r];
                Assert.Equal(q == r ? 1.0 : 0.0, dot, 1e-5);
            }
        var x = DspReference.RandomSignal(n, 2);
        var c = new float[4];
        new Dct(n, 4).Apply(x, c);
        for (int q = 0; q < 4; q++)
        {
            double a = q == 0 ? Math.Sqrt(1.0 / n) : Math.Sqrt(2.0 / n), s = 0;
            for (int b = 0; b < n; b++) s += x[b] * a * Math.Cos(Math.PI * q * (b + 0.5) / n);
            Assert.Equal(s, c[q], 1e-5);
        }
    }
}

public class LpcTests
{
    [Fact]
    public void Levinson_recovers_an_ar2_process_from_its_exact_autocorrelation()
    {
        // x[n] = 1.3 x[n−1] − 0.6 x[n−2] + e[n]  →  A(z) = 1 − 1.3 z⁻¹ + 0.6 z⁻²; Yule–Walker: r1 = a1/(1−a2)·r0, r2 = a1 r1 + a2 r0.
        double a1 = 1.3, a2 = -0.6, r0 = 1, r1 = a1 / (1 - a2), r2 = a1 * r1 + a2 * r0;
        var a = new double[3];
        Lpc.LevinsonDurbin([r0, r1, r2], a);
        Assert.Equal(1, a[0]); Assert.Equal(-1.3, a[1], 1e-12); Assert.Equal(0.6, a[2], 1e-12);
    }

    [Fact]
    public void Roots_of_a_polynomial_with_known_complex_roots()
    {
        // (z − 0.9e^{±i0.5})(z − 0.5)(z + 0.7)
        var z1 = System.Numerics.Complex.FromPolarCoordinates(0.9, 0.5);
        var roots = new[] { z1, System.Numerics.Complex.Conjugate(z1), new(0.5, 0), new(-0.7, 0) };
        var c = new System.Numerics.Complex[] { 1 };
        foreach (var r in roots)
        {
            var next = new System.Numerics.Complex[c.Length + 1];
            for (int i = 0; i < c.Length; i++) { next[i] += c[i]; next[i + 1] -= c[i] * r; }
            c = next;
        }
        var found = Lpc.Roots(c.Select(v => v.Real).ToArray());
        foreach (var r in roots) Assert.Contains(found, f => (f - r).Magnitude < 1e-9);
    }

    [Theory]
    [InlineData(16000, 10000, 1234.0)]
    [InlineData(44100, 16000, 3000.0)]
    public void Resampler_keeps_a_passband_sine(int from, int to, double f)
    {
        int n = from / 2;
        var x = Enumerable.Range(0, n).Select(t => (float)Math.Sin(2 * Math.PI * f * t / from)).ToArray();
        var rs = new RationalResampler(from, to);
        var y = rs.Process(x);
        Assert.Equal(rs.OutputLength(n), y.Length);
        for (int t = y.Length / 4; t < 3 * y.Length / 4; t++) // away from the edges
            Assert.Equal(Math.Sin(2 * Math.PI * f * t / to), y[t], 2e-3);
    }
}
