using HarmoniousFeedback.Features;
using HarmoniousFeedback.Tests.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

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
