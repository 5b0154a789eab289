using HarmoniousFeedback.Audio;
using Xunit;

namespace HarmoniousFeedback.Tests.Audio;

public class ResamplingStreamReaderTests
{
    private static float[] Signal(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(Math.Sin(i * 0.031) * 0.5 + (rng.NextDouble() - 0.5) * 0.2);
        return x;
    }

    private static float[] ReadAll(AudioStreamReader reader, int block)
    {
        var all = new List<float>();
        var buf = new float[block];
        for (int n; (n = reader.ReadMono(buf)) > 0;) all.AddRange(buf.AsSpan(0, n).ToArray());
        return [.. all];
    }

    [Theory]
    [InlineData(44100, 16000, 44100 * 2 + 17, 4096, 1000)]
    [InlineData(48000, 16000, 48000, 333, 4096)]      // the source returns 333 samples per read
    [InlineData(22050, 16000, 5000, 7, 1)]            // tiny blocks on both sides
    [InlineData(8000, 16000, 8001, 1000, 777)]        // upsampling
    [InlineData(44100, 16000, 10, 4096, 4096)]        // shorter than the kernel
    public void Streamed_output_is_the_whole_signal_resampled_bit_for_bit(int from, int to, int length, int sourceBlock, int readBlock)
    {
        var x = Signal(length, length);
        var expected = Resampler.Resample(x, from, to);
        using var reader = new ResamplingStreamReader(AudioStreamReader.FromClip(new AudioClip(x, from), sourceBlock), to);
        Assert.Equal(to, reader.SampleRate);
        Assert.Equal(from, reader.OriginalSampleRate);
        Assert.Equal(expected.Length, reader.Length);
        var actual = ReadAll(reader, readBlock);
        Assert.Equal(expected, actual);
        Assert.Equal(0, reader.ReadMono(new float[16]));   // stays at the end
    }

    [Fact]
    public void Equal_rates_pass_the_samples_through_and_a_bad_rate_is_refused()
    {
        var x = Signal(1000, 3);
        using var same = new ResamplingStreamReader(AudioStreamReader.FromClip(new AudioClip(x, 16000), 100), 16000);
        Assert.Equal(x, ReadAll(same, 64));
        var e = Assert.Throws<OptionsValidationException>(() => new ResamplingStreamReader(AudioStreamReader.FromClip(new AudioClip(x, 16000)), 0));
        Assert.Contains("must be > 0", e.Message);
    }
}
