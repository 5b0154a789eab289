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
