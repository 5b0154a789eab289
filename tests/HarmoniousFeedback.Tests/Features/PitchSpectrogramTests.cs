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
}
