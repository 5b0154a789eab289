using System.Numerics.Tensors;

namespace HarmoniousFeedback.Audio;

/// <summary>
/// Reads audio block by block, downmixed to mono, in memory that does not grow with the recording: what feature
/// extraction of long recordings (<c>Features.Streaming.StreamingFeatureExtractor</c>) reads from.
/// <para><see cref="Open"/> reads what <see cref="AudioFile.Read"/> reads: a WAV of a supported encoding natively (header
/// parsed, then the sample data read in blocks), everything else through ffmpeg's stdout (the same command as
/// <see cref="AudioFile"/>, 32-bit float WAV piped and parsed as it arrives). The samples are the same floats as
/// <c>AudioFile.Read(path, mono: true)</c> gives, in the same order: WAV samples are scaled as <see cref="WavReader"/> does,
/// and channels are averaged as <see cref="AudioClip.ToMono"/> does (<c>m[n] = (Σ_c x_c[n])·(1/C)</c>, summed in channel order
/// from zero).</para>
/// <para>Errors are those of <see cref="AudioFile"/>: a missing file or a folder → <see cref="AudioFormatException"/>; no
/// ffmpeg → <see cref="ExternalToolException"/> saying how to install it; ffmpeg failing → <see cref="AudioFormatException"/>
/// with its last stderr line, raised when the stream ends. A streamed decode has no time limit (the reader sets the pace).</para>
/// </summary>
public abstract class AudioStreamReader : IDisposable
{
    /// <summary>Samples per second per channel (the file's own rate; never resampled).</summary>
    public int SampleRate { get; }

    /// <summary>Channels in the source (the reader returns their mean).</summary>
    public int ChannelCount { get; }

    /// <summary>Samples per channel when the container says so (a WAV file), else null (ffmpeg's pipe: known at the end).</summary>
    public long? Length { get; }

    /// <summary>Where the samples come from (a path, "memory").</summary>
    public string Source { get; }

    /// <summary>Samples returned so far.</summary>
    public long Position { get; private set; }

    protected AudioStreamReader(int sampleRate, int channelCount, long? length, string source)
    {
        if (sampleRate <= 0) throw new AudioFormatException(source, $"sample rate {sampleRate} must be > 0");
        if (channelCount <= 0) throw new AudioFormatException(source, $"channel count {channelCount} must be > 0");
        SampleRate = sampleRate; ChannelCount = channelCount; Length = length; Source = source;
    }

    /// <summary>
    /// Reads up to <paramref name="destination"/>.Length mono samples; returns how many were read, 0 only at the end of the audio
    /// (fewer than asked for does not mean the end).
    /// </summary>
    public int ReadMono(Span<float> destination)
    {
        if (destination.IsEmpty) return 0;
        int n = ReadMonoCore(destination);
        Position += n;
        return n;
    }

    /// <summary>The source-specific part of <see cref="ReadMono"/>.</summary>
    protected abstract int ReadMonoCore(Span<float> destination);

    /// <summary>
    /// Opens <paramref name="path"/>: WAV natively, other formats through ffmpeg (see the type). <paramref name="ffmpegPath"/>
    /// overrides <see cref="AudioFile.FfmpegPath"/>. A pipe (a shell's <c>&lt;(…)</c>) can be read only once: it is read whole
    /// (memory grows with it) and must hold PCM/float WAV (<see cref="AudioFile"/>).
    /// </summary>
    public static AudioStreamReader Open(string path, string? ffmpegPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new AudioFormatException(path, "is a folder, not an audio file");
        if (!File.Exists(path)) throw new AudioFormatException(path, "file not found");
        if (!AudioFile.ThrowIfEmptyOrMidi(path)) return new ClipStreamReader(AudioFile.ReadUnseekable(path), int.MaxValue); // a pipe: read once, whole
        return AudioFile.IsWav(path) && WavStreamReader.HasNativeEncoding(path)
            ? WavStreamReader.Open(path)
            : FfmpegStreamReader.Start(path, ffmpegPath ?? AudioFile.FfmpegPath);
    }

    /// <summary>
    /// A reader over a decoded clip (downmixed as above) that returns at most <paramref name="maxBlock"/> samples per call —
    /// for in-memory audio and for testing how block boundaries fall.
    /// </summary>
    public static AudioStreamReader FromClip(AudioClip clip, int maxBlock = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return new ClipStreamReader(clip, maxBlock);
    }

    /// <summary>
    /// The mono downmix of <paramref name="frames"/> samples of <paramref name="channels"/> into <paramref name="mono"/>, with
    /// the arithmetic of <see cref="AudioClip.ToMono"/> (channel 0 itself when there is one channel).
    /// </summary>
    protected static void Downmix(float[][] channels, int frames, Span<float> mono)
    {
        var m = mono[..frames];
        if (channels.Length == 1) { channels[0].AsSpan(0, frames).CopyTo(m); return; }
        m.Clear();
        foreach (var ch in channels) TensorPrimitives.Add(m, ch.AsSpan(0, frames), m);
        TensorPrimitives.Multiply(m, 1f / channels.Length, m);
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the file or the decoder process.</summary>
    protected virtual void Dispose(bool disposing) { }
}
