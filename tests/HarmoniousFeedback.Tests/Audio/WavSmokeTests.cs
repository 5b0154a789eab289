using HarmoniousFeedback.Audio;
using Xunit;

namespace HarmoniousFeedback.Tests.Audio;

public class WavSmokeTests
{
    [Fact]
    public void Pcm16_round_trip_is_bit_exact()
    {
        var x = new float[1000];
        for (int i = 0; i < x.Length; i++) x[i] = (short)((i * 7919) % 65536 - 32768) / 32768f;
        var bytes = WavWriter.ToBytes(new AudioClip(x, 16000), WavEncoding.Pcm16);
        var back = WavReader.Read(bytes);
        Assert.Equal(16000, back.SampleRate);
        Assert.Equal(x, back.Channels[0]);
        Assert.Equal(bytes, WavWriter.ToBytes(back, WavEncoding.Pcm16));
    }

    [Fact]
    public void Empty_input_is_a_typed_error_naming_the_source()
    {
        var e = Assert.Throws<AudioFormatException>(() => WavReader.Read(ReadOnlySpan<byte>.Empty, "empty.wav"));
        Assert.Contains("empty.wav", e.Message);
    }
}
