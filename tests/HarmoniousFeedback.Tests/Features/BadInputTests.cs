using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Tests.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public class BadInputTests
{
    [Fact]
    public void Empty_signal_gives_zero_frames_for_every_extractor()
    {
        var e = Array.Empty<float>();
        Assert.Equal(0, new Spectrogram().Compute(e).Rows);
        Assert.Equal(0, new Mfcc().Compute(e).Rows);
        Assert.Equal(0, new ShortTimeEnergy().Compute(e).Rows);
        Assert.Equal(0, new ZeroCrossingRate().Compute(e).Rows);
        Assert.Equal(0, new PitchTracker().Compute(e).Rows);
        Assert.Equal(0, new FormantTracker().Compute(e).Rows);
        Assert.Equal(0, new LldExtractor().ComputeFrames(e).Rows);
    }

    [Fact]
    public void Signal_shorter_than_a_frame_is_reflected_repeatedly_like_numpy()
    {
        var x = DspReference.RandomSignal(100, 1); // n_fft/2 = 256 > 100 samples: numpy reflect pads periodically
        var s = new Spectrogram().Compute(x);
        Assert.Equal(1, s.Rows);
        var r = DspReference.PowerSpectrogram(x, 512, 160, 512); // the reference uses the same numpy index rule
        Assert.True(DspReference.RelL2(s.Row(0), r[0]) < 1e-5);
        var one = new Mfcc().Compute([0.5f]);
        Assert.Equal(1, one.Rows);
        Assert.All(one.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Nan_or_infinite_samples_are_rejected_with_the_index()
    {
        var x = new float[1000]; x[417] = float.NaN;
        var e = Assert.Throws<InvalidSignalException>(() => new Mfcc().Compute(x));
        Assert.Contains("417", e.Message);
        x[417] = float.PositiveInfinity;
        Assert.Throws<InvalidSignalException>(() => new PitchTracker().Compute(x));
        Assert.Throws<InvalidSignalException>(() => new LldExtractor().ComputeSegments(x));
    }

    [Fact]
    public void Clip_at_another_rate_than_the_filterbank_is_rejected()
    {
        var clip = new AudioClip(new float[44100], 44100, "song.wav");
        var e = Assert.Throws<FeatureParameterException>(() => new Mfcc().Compute(clip));
        Assert.Contains("44100", e.Message); Assert.Contains("16000", e.Message); Assert.Contains("song.wav", e.Message);
        Assert.Equal(1 + 44100 / 160, new Mfcc(new MfccOptions { Mel = new MelSpectrogramOptions { SampleRate = 44100 } }).Compute(clip).Rows);
    }

    [Fact]
    public void All_zero_signal_gives_defined_values()
    {
        var z = new float[16000];
        Assert.All(new Spectrogram().Compute(z).Data, v => Assert.Equal(0f, v));
        Assert.All(new ZeroCrossingRate().Compute(z).Data, v => Assert.Equal(0f, v));
        Assert.All(new LldExtractor().ComputeSegments(z).Data, v => Assert.True(float.IsFinite(v)));
    }
}
