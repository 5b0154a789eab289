namespace HarmoniousFeedback.Audio;

/// <summary>
/// A WAV file read block by block: the header is parsed (<see cref="WavReader.ReadHeader"/>), then whole frames of sample data
/// are read and decoded with <see cref="WavReader"/>'s arithmetic. Memory: one block.
/// </summary>
internal sealed class WavStreamReader : AudioStreamReader
{
    private const int BlockFrames = 65536;
    private readonly FileStream _file;
    private readonly WavInfo _info;
    private readonly int _frameBytes;
    private long _remaining; // frames
    private byte[] _raw = [];
    private float[][] _channels = [];

    private WavStreamReader(FileStream file, WavInfo info, long frames, string path)
        : base(info.SampleRate, info.Channels, frames, path)
    {
        _file = file; _info = info; _remaining = frames;
        _frameBytes = info.BytesPerSample * info.Channels;
    }

    /// <summary>
    /// True when the 'fmt ' chunk in the first 64 KiB names an encoding <see cref="WavReader"/> decodes (see
    /// <see cref="WavReader.HasNativeEncoding"/>; a malformed header counts as native so that its precise error is reported).
    /// </summary>
    public static bool HasNativeEncoding(string path)
    {
        var head = new byte[65536];
        int n;
        try
        {
            using var f = File.OpenRead(path);
            n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (UnauthorizedAccessException e) { throw new AudioFormatException(path, "file cannot be read (permission denied)", e); }
        catch (IOException e) { throw new AudioFormatException(path, "file cannot be read: " + e.Message, e); }
        return WavReader.HasNativeEncoding(head.AsSpan(0, n));
    }

    public static WavStreamReader Open(string path)
    {
        FileStream file;
        try { file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan); }
        catch (UnauthorizedAccessException e) { throw new AudioFormatException(path, "file cannot be read (permission denied)", e); }
        catch (IOException e) { throw new AudioFormatException(path, "file cannot be read: " + e.Message, e); }
        try
        {
            var (info, bytes) = WavReader.ReadHeader(file, path);
            return new WavStreamReader(file, info, bytes!.Value / (info.BytesPerSample * info.Channels), path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    protected override int ReadMonoCore(Span<float> destination)
    {
        int frames = (int)Math.Min(Math.Min(destination.Length, BlockFrames), _remaining);
        if (frames == 0) return 0;
        if (_raw.Length < frames * _frameBytes)
        {
            _raw = new byte[frames * _frameBytes];
            _channels = new float[_info.Channels][];
            for (int c = 0; c < _channels.Length; c++) _channels[c] = new float[frames];
        }
        int got;
        try { got = _file.ReadAtLeast(_raw.AsSpan(0, frames * _frameBytes), frames * _frameBytes, throwOnEndOfStream: false); }
        catch (IOException e) { throw new AudioFormatException(Source, "file cannot be read: " + e.Message, e); }
        int whole = got / _frameBytes;
        if (whole < frames) _remaining = whole; // the file shrank since its header was read: stop after what is there
        if (whole == 0) { _remaining = 0; return 0; }
        WavReader.DecodeInto(_raw.AsSpan(0, whole * _frameBytes), _info, whole, _channels);
        WavReader.CheckFloatSamples(_channels, whole, _info, Source, Position);
        Downmix(_channels, whole, destination);
        _remaining -= whole;
        return whole;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _file.Dispose();
    }
}
