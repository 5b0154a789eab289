namespace HarmoniousFeedback.Audio;

/// <summary>Sample encodings a WAV file can carry (and <see cref="WavWriter"/> can write).</summary>
public enum WavEncoding
{
    /// <summary>8-bit unsigned PCM (silence = 128); sample = (b − 128) / 128.</summary>
    Pcm8,
    /// <summary>16-bit signed PCM; sample = s / 32768.</summary>
    Pcm16,
    /// <summary>24-bit signed packed PCM; sample = s / 2^23.</summary>
    Pcm24,
    /// <summary>32-bit signed PCM; sample = s / 2^31.</summary>
    Pcm32,
    /// <summary>IEEE 754 binary32.</summary>
    Float32,
    /// <summary>IEEE 754 binary64 (narrowed to float32 on read).</summary>
    Float64,
}

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
