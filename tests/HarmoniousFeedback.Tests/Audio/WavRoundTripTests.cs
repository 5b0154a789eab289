using HarmoniousFeedback.Audio;
using Xunit;

namespace HarmoniousFeedback.Tests.Audio;

/// <summary>
/// write → read is bit-exact for every encoding when the values are ones the file can hold and float32 can hold:
/// PCM k-bit values are s/2^(k−1); for Pcm32 only s that are multiples of 2^8 (24 significant bits, exactly
/// representable in float32's 24-bit significand), for Float64 only float32 values (float64 holds every float32; the
/// reader narrows to float32); float values within ±2^24, the range the reader accepts. Re-writing what was read reproduces the file byte for byte.
/// </summary>
public class WavRoundTripTests
{
    public static TheoryData<WavEncoding, int, bool> Cases()
    {
        var d = new TheoryData<WavEncoding, int, bool>();
        foreach (var e in Enum.GetValues<WavEncoding>())
            foreach (int ch in new[] { 1, 2, 6 })
                foreach (bool ext in new[] { false, true })
                    d.Add(e, ch, ext);
        return d;
    }

    /// <summary>Values representable both in the encoding and in float32, spanning the full range including both extremes.</summary>
    private static float[] Representable(WavEncoding e, int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = e switch
            {
                WavEncoding.Pcm8 => rng.Next(-128, 128) / 128f,
                WavEncoding.Pcm16 => rng.Next(-32768, 32768) / 32768f,
                WavEncoding.Pcm24 => rng.Next(-8388608, 8388608) / 8388608f,
                WavEncoding.Pcm32 => (float)(rng.Next(-8388608, 8388608) * 256.0 / 2147483648.0),
                _ => (float)(rng.NextDouble() * 4 - 2) * MathF.Pow(2, rng.Next(-30, 23)), // float: any value the reader accepts (|x| ≤ 2^24)
            };
        }
        // The extremes: most negative value and largest positive one the integer format holds.
        x[0] = -1f;
        x[1] = e switch
        {
            WavEncoding.Pcm8 => 127 / 128f,
            WavEncoding.Pcm16 => 32767 / 32768f,
            WavEncoding.Pcm24 => 8388607 / 8388608f,
            WavEncoding.Pcm32 => (float)(0x7FFFFF00 / 2147483648.0),
            _ => float.Epsilon, // smallest subnormal survives float64 and back
        };
        if (e is WavEncoding.Float32 or WavEncoding.Float64) x[2] = -WavReader.MaxFloatSampleMagnitude; // the largest magnitude read
        return x;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Write_then_read_is_bit_exact(WavEncoding encoding, int channels, bool extensible)
    {
        var chans = new float[channels][];
        for (int c = 0; c < channels; c++) chans[c] = Representable(encoding, 257, 100 * c + (int)encoding);
        var clip = new AudioClip(chans, 22050, "rt");
        var bytes = WavWriter.ToBytes(clip, encoding, extensible);
        var info = WavReader.ReadInfo(bytes);
        Assert.Equal(new WavInfo(encoding, channels, 22050, 257, extensible), info);
        var back = WavReader.Read(bytes, "rt.wav");
        Assert.Equal(22050, back.SampleRate);
        Assert.Equal("rt.wav", back.Source);
        Assert.Equal(channels, back.ChannelCount);
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < chans[c].Length; i++)
                if (BitConverter.SingleToInt32Bits(chans[c][i]) != BitConverter.SingleToInt32Bits(back.Channels[c][i]))
                    Assert.Fail($"{encoding} ch{c} [{i}]: wrote {chans[c][i]:R}, read {back.Channels[c][i]:R}");
        Assert.Equal(bytes, WavWriter.ToBytes(back, encoding, extensible));
    }

    [Fact]
    public void File_round_trip_and_mono_downmix_average_the_channels()
    {
        var l = new[] { 0.5f, -0.25f, 1f / 1024, 0f };
        var r = new[] { 0.25f, 0.25f, -1f / 1024, -1f };
        var path = Path.Combine(TestPaths.TempDir(), "stereo.wav");
        WavWriter.Write(path, new AudioClip([l, r], 8000), WavEncoding.Pcm16);
        var stereo = WavReader.Read(path);
        Assert.Equal(path, stereo.Source);
        Assert.Equal(l, stereo.Channels[0]);
        Assert.Equal(r, stereo.Channels[1]);
        var mono = WavReader.Read(path, mono: true);
        Assert.Equal(1, mono.ChannelCount);
        Assert.Equal(new[] { 0.375f, 0f, 0f, -0.5f }, mono.Channels[0]); // (l + r) / 2, exact in binary
        Assert.Equal(8000, mono.SampleRate);
    }

    [Fact]
    public void Integer_writer_rounds_half_away_from_zero_and_clamps()
    {
        var clip = new AudioClip(new[] { 1.5f / 32768, -1.5f / 32768, 2f, -2f, float.NaN, float.PositiveInfinity }, 8000);
        var back = WavReader.Read(WavWriter.ToBytes(clip, WavEncoding.Pcm16));
        Assert.Equal(new[] { 2 / 32768f, -2 / 32768f, 32767 / 32768f, -1f, 0f, 32767 / 32768f }, back.Channels[0]);
    }

    [Fact]
    public void Writer_rejects_frames_wider_than_the_format_allows()
    {
        var chans = Enumerable.Range(0, 8192).Select(_ => new float[1]).ToArray(); // 8192 × 8 bytes > 65535
        var e = Assert.Throws<AudioFormatException>(() => WavWriter.ToBytes(new AudioClip(chans, 8000), WavEncoding.Float64));
        Assert.Contains("65535", e.Message);
    }
}
