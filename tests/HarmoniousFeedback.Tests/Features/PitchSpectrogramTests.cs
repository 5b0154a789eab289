using System.Numerics.Tensors;
using HarmoniousFeedback.Features;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public sealed class PitchSpectrogramTests
{
    /// <summary>The definition, frame by frame: the <see cref="Spectrogram"/> power, each semitone band's weighted sum, dB with top_db.</summary>
    private static float[] Reference(PitchSpectrogramOptions o, float[] signal)
    {
        var s = new Spectrogram(o.Stft with { Power = 2.0 }).Compute(signal);
        var (start, length, offset, weights) = PitchFilterbank.Create(o.Stft.NFft, o.Stft.SampleRate, o.Tuning, o.MaxPitch + 1);
        int n = o.Pitches;
        var data = new float[s.Rows * n];
        for (int t = 0; t < s.Rows; t++)
            for (int j = 0; j < n; j++)
            {
                int p = o.MinPitch + j;
                data[t * n + j] = length[p] == 0 ? 0f : TensorPrimitives.Dot(weights.AsSpan(offset[p], length[p]), s.Row(t).Slice(start[p], length[p]));
            }
        PowerToDb.Apply(data, 1e-10, o.TopDb);
        return data;
    }

    [Theory]
    [InlineData(16000 * 3 + 17, 2048, 160)]   // a 3 s window: several blocks of 8 frames and a short last one
    [InlineData(1500, 2048, 160)]             // shorter than the FFT: every frame reads the reflected padding
    [InlineData(22050, 1024, 256)]
    public void Batched_frames_give_the_definition_bit_for_bit(int samples, int nFft, int hop)
    {
        var rng = new Random(samples);
        var signal = Enumerable.Range(0, samples).Select(i => (float)(0.3 * Math.Sin(2 * Math.PI * 261.6 * i / 16000) + 0.05 * (rng.NextDouble() - 0.5))).ToArray();
        var o = new PitchSpectrogramOptions { Stft = new SpectrogramOptions { SampleRate = 16000, NFft = nFft, HopLength = hop } };
        var got = new PitchSpectrogram(o).Compute(signal);
        var want = Reference(o, signal);
        Assert.Equal(want.Length, got.Data.Length);
        Assert.Equal(want, got.Data.ToArray());
        Assert.Equal(new Spectrogram(o.Stft).Compute(signal).FrameTimes, got.FrameTimes);
    }

    [Theory]
    [InlineData(0, 48000)]        // the whole signal's start: the excerpt's leading frames reach into padding on both
    [InlineData(19200, 48000)]    // a hop multiple inside: all but ⌈1024/160⌉ frames at each end are the whole's rows
    [InlineData(19200, 700)]      // shorter than n_fft: every frame reaches into the padding
    [InlineData(112000, 48000)]   // up to the signal's end
    [InlineData(19201, 48000)]    // not a hop multiple: computed from the samples
    public void An_excerpt_cut_from_the_whole_signal_s_power_is_the_excerpt_s_spectrogram_bit_for_bit(int start, int length)
    {
        var rng = new Random(5);
        var signal = Enumerable.Range(0, 160000).Select(i => (float)(0.3 * Math.Sin(2 * Math.PI * (220 + i / 400.0) * i / 16000) + 0.05 * (rng.NextDouble() - 0.5))).ToArray();
        signal.AsSpan(40000, 16000).Clear();      // a silent second: the excerpt's own top_db clamp differs from the whole's
        var pitch = new PitchSpectrogram(new PitchSpectrogramOptions { Stft = new SpectrogramOptions { SampleRate = 16000, NFft = 2048, HopLength = 160 } });
        var power = pitch.Power(signal);
        var want = pitch.Compute(signal.AsSpan(start, length));
        var got = pitch.Excerpt(signal, power, start, length);
        Assert.Equal((want.Rows, want.Columns), (got.Rows, got.Columns));
        Assert.Equal(want.Data, got.Data);
        Assert.Equal(want.FrameTimes, got.FrameTimes);
    }

    [Fact]
    public void An_excerpt_outside_the_signal_or_from_another_signal_s_power_is_refused()
    {
        var signal = new float[16000];
        signal[100] = 1;
        var pitch = new PitchSpectrogram(new PitchSpectrogramOptions { Stft = new SpectrogramOptions { SampleRate = 16000, NFft = 2048, HopLength = 160 } });
        var power = pitch.Power(signal);
        Assert.Contains("not inside", Assert.Throws<ArgumentException>(() => pitch.Excerpt(signal, power, 15000, 2000)).Message);
        Assert.Contains("not inside", Assert.Throws<ArgumentException>(() => pitch.Excerpt(signal, power, -160, 2000)).Message);
        Assert.Contains("use Power on the whole signal", Assert.Throws<ArgumentException>(() => pitch.Excerpt(signal, power[..^1], 0, 2000)).Message);
    }
}
