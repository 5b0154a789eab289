using HarmoniousFeedback.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Dsp;

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
