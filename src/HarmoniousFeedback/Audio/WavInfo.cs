namespace HarmoniousFeedback.Audio;

/// <summary>What the header of a WAV file says.</summary>
public sealed record WavInfo(WavEncoding Encoding, int Channels, int SampleRate, long Frames, bool Extensible)
{
    public int BytesPerSample => Encoding switch
    {
        WavEncoding.Pcm8 => 1,
        WavEncoding.Pcm16 => 2,
        WavEncoding.Pcm24 => 3,
        WavEncoding.Pcm32 or WavEncoding.Float32 => 4,
        _ => 8,
    };

    public int BitsPerSample => BytesPerSample * 8;
    public bool IsFloat => Encoding is WavEncoding.Float32 or WavEncoding.Float64;
}
