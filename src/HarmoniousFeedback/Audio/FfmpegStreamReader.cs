using System.Diagnostics;

namespace HarmoniousFeedback.Audio;

/// <summary>
/// A file decoded by ffmpeg and read from its stdout as it arrives (32-bit float WAV with the size placeholders of a pipe,
/// <see cref="AudioFile"/>'s command). ffmpeg's exit status is checked at the end of the stream; disposing the reader before
/// the end stops ffmpeg. Memory: one block plus the pipe's buffer.
/// </summary>
internal sealed class FfmpegStreamReader : AudioStreamReader
{
    private const int BlockFrames = 65536;
    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly Task<string> _stderr;
    private readonly WavInfo _info;
    private readonly int _frameBytes;
    private byte[] _raw = [];
    private float[][] _channels = [];
    private bool _ended;

    private FfmpegStreamReader(Process process, Task<string> stderr, WavInfo info, string path)
        : base(info.SampleRate, info.Channels, null, path)
    {
        _process = process; _stdout = process.StandardOutput.BaseStream; _stderr = stderr; _info = info;
        _frameBytes = info.BytesPerSample * info.Channels;
    }

    /// <summary>The decoder's process id (tests check that disposing stops it).</summary>
    internal int ProcessId => _process.Id;

    public static FfmpegStreamReader Start(string path, string ffmpeg)
    {
        var process = AudioFile.StartFfmpeg(path, ffmpeg);
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            WavInfo info;
            try { info = WavReader.ReadHeader(process.StandardOutput.BaseStream, path).Info; }
            catch (AudioFormatException e)
            {
                process.WaitForExit();
                string err = stderr.GetAwaiter().GetResult();
                if (process.ExitCode != 0)
                    throw new AudioFormatException(path, $"ffmpeg could not decode the file (exit code {process.ExitCode}): {AudioFile.LastLine(err)}", e);
                throw new AudioFormatException(path, "ffmpeg produced no audio" + (err.Length > 0 ? ": " + err.Trim() : $" ({e.Message})"), e);
            }
            return new FfmpegStreamReader(process, stderr, info, path);
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
    }

    protected override int ReadMonoCore(Span<float> destination)
    {
        if (_ended) return 0;
        int frames = Math.Min(destination.Length, BlockFrames);
        if (_raw.Length < frames * _frameBytes)
        {
            _raw = new byte[frames * _frameBytes];
            _channels = new float[_info.Channels][];
            for (int c = 0; c < _channels.Length; c++) _channels[c] = new float[frames];
        }
        int got = _stdout.ReadAtLeast(_raw.AsSpan(0, frames * _frameBytes), frames * _frameBytes, throwOnEndOfStream: false);
        int whole = got / _frameBytes; // a trailing partial frame is dropped, as the whole-file reader does
        if (got < frames * _frameBytes) End();
        if (whole == 0) return 0;
        WavReader.DecodeInto(_raw.AsSpan(0, whole * _frameBytes), _info, whole, _channels);
        WavReader.CheckFloatSamples(_channels, whole, _info, Source, Position);
        Downmix(_channels, whole, destination);
        return whole;
    }

    /// <summary>The end of ffmpeg's output: wait for it to exit and report a failure.</summary>
    private void End()
    {
        _ended = true;
        _process.WaitForExit();
        if (_process.ExitCode != 0)
            throw new AudioFormatException(Source, $"ffmpeg could not decode the file (exit code {_process.ExitCode}): {AudioFile.LastLine(_stderr.GetAwaiter().GetResult())}");
    }

    private static void Stop(Process p)
    {
        try { if (!p.HasExited) { p.Kill(entireProcessTree: true); p.WaitForExit(); } }
        catch (InvalidOperationException) { } // already gone
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        Stop(_process);
        _process.Dispose();
    }
}
