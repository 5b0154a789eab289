namespace HarmoniousFeedback.Audio;

/// <summary>
/// Decoded audio: one float array per channel (samples in [-1, 1] for PCM sources), the file's own sample rate
/// and the name of its source. Readers never resample silently; resampling is an explicit step
/// (<c>Resampler</c>). Arrays are owned by the clip; treat them as read-only when sharing a clip.
/// </summary>
public sealed class AudioClip
{
    /// <summary>Channel-major samples: <c>Channels[c][n]</c>. All channels have the same length.</summary>
    public float[][] Channels { get; }

    /// <summary>Samples per second per channel.</summary>
    public int SampleRate { get; }

    /// <summary>Where the samples came from (a path, "synthetic:…", "memory").</summary>
    public string Source { get; }

    public AudioClip(float[][] channels, int sampleRate, string source = "memory")
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Length == 0) throw new AudioFormatException(source, "an audio clip needs at least one channel");
        if (sampleRate <= 0) throw new AudioFormatException(source, $"sample rate {sampleRate} must be > 0");
        int n = channels[0].Length;
        for (int c = 1; c < channels.Length; c++)
            if (channels[c].Length != n)
                throw new AudioFormatException(source, $"channel {c} has {channels[c].Length} samples but channel 0 has {n}");
        Channels = channels;
        SampleRate = sampleRate;
        Source = source;
    }

    /// <summary>A mono clip wrapping <paramref name="samples"/> (not copied).</summary>
    public AudioClip(float[] samples, int sampleRate, string source = "memory") : this(new[] { samples }, sampleRate, source) { }

    public int ChannelCount => Channels.Length;

    /// <summary>Samples per channel.</summary>
    public int Length => Channels[0].Length;

    public double DurationSeconds => (double)Length / SampleRate;

    /// <summary>
    /// Mono signal: channel 0 itself when the clip is mono (no copy), otherwise the arithmetic mean of all
    /// channels, <c>m[n] = (1/C) Σ_c x_c[n]</c> (the same downmix as torchaudio/librosa <c>mono=True</c>).
    /// </summary>
    public float[] ToMono()
    {
        if (Channels.Length == 1) return Channels[0];
        var mono = new float[Length];
        foreach (var ch in Channels)
            System.Numerics.Tensors.TensorPrimitives.Add(mono, ch, mono);
        System.Numerics.Tensors.TensorPrimitives.Multiply(mono, 1f / Channels.Length, mono);
        return mono;
    }

    /// <summary>A mono clip (see <see cref="ToMono"/>) with the same rate and source.</summary>
    public AudioClip AsMono() => Channels.Length == 1 ? this : new AudioClip(ToMono(), SampleRate, Source);
}
