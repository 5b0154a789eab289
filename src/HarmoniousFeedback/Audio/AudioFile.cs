using System.ComponentModel;
using System.Diagnostics;

namespace HarmoniousFeedback.Audio;

/// <summary>
/// Reads any audio file into an <see cref="AudioClip"/> at the file's own sample rate and channel count.
/// <para>WAV (recognised by its <c>RIFF</c>…<c>WAVE</c> signature, whatever the extension) in the encodings
/// <see cref="WavReader"/> supports is decoded natively. Everything else (mp3, flac, ogg/opus, m4a/aac, aiff, RF64,
/// WAV in µ-law/A-law/ADPCM …) is decoded by <c>ffmpeg</c>:
/// <c>ffmpeg -nostdin -hide_banner -loglevel error -i file:&lt;path&gt; -map 0:a:0 -vn -f wav -acodec pcm_f32le -</c>
/// (the first audio stream, 32-bit float WAV on stdout, no resampling or remixing), parsed by <see cref="WavReader"/>,
/// which takes the size placeholders of a streamed WAV to mean "to end of data". Decoded samples are the decoder's
/// float output (for lossless integer sources exactly s/2^(bits−1), as <see cref="WavReader"/> scales).</para>
/// <para>Errors: a missing file → <see cref="AudioFormatException"/>; no ffmpeg → <see cref="ExternalToolException"/>
/// saying how to install it; ffmpeg failing (corrupt or unknown format) → <see cref="AudioFormatException"/> with
/// ffmpeg's last stderr line; ffmpeg running longer than <see cref="FfmpegTimeout"/> → <see cref="ExternalToolException"/>.</para>
/// </summary>
public static class AudioFile
{
    /// <summary>
    /// The ffmpeg executable used when a call does not name one: <c>$HFB_FFMPEG</c> if set, else <c>ffmpeg</c>
    /// looked up on PATH. Set it (or pass <c>ffmpegPath</c>) to use another build.
    /// </summary>
    public static string FfmpegPath { get; set; } =
        Environment.GetEnvironmentVariable("HFB_FFMPEG") is { Length: > 0 } env ? env : "ffmpeg";

    /// <summary>Longest time one ffmpeg decode may take before it is stopped (default 10 minutes).</summary>
    public static TimeSpan FfmpegTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Reads <paramref name="path"/>; <paramref name="mono"/> averages the channels (<see cref="AudioClip.ToMono"/>).
    /// <paramref name="ffmpegPath"/> overrides <see cref="FfmpegPath"/> for this call.
    /// </summary>
    public static AudioClip Read(string path, bool mono = false, string? ffmpegPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new AudioFormatException(path, Directory.Exists(path) ? "is a folder, not an audio file" : "file not found");
        AudioClip clip;
        if (!ThrowIfEmptyOrMidi(path)) clip = ReadUnseekable(path);
        else if (IsWav(path))
        {
            var bytes = WavReader.ReadAllBytes(path);
            clip = WavReader.HasNativeEncoding(bytes) ? WavReader.Read(bytes, path) : DecodeWithFfmpeg(path, ffmpegPath ?? FfmpegPath);
        }
        else clip = DecodeWithFfmpeg(path, ffmpegPath ?? FfmpegPath);
        return mono ? clip.AsMono() : clip;
    }

    /// <summary>
    /// An empty file, or a MIDI file (<see cref="ThrowIfMidi"/>), is an <see cref="AudioFormatException"/> saying so, whatever
    /// its extension and whether ffmpeg is installed (it would otherwise go to ffmpeg, whose "Invalid data found when
    /// processing input" says less, or ask for ffmpeg to be installed).
    /// </summary>
    /// <returns>False when the file cannot seek (a pipe, a shell's <c>&lt;(…)</c>): it can be read once only (<see cref="ReadUnseekable"/>).</returns>
    internal static bool ThrowIfEmptyOrMidi(string path)
    {
        long length;
        Span<byte> head = stackalloc byte[4];
        int n;
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            if (!f.CanSeek) return false; // a pipe: its size is what is buffered so far, not its length, and a read would consume it
            length = f.Length;
            n = f.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        }
        catch (IOException) { return true; } // unreadable: the read that follows reports it
        catch (UnauthorizedAccessException) { return true; }
        ThrowIfMidi(path, head[..n]);
        if (length == 0) throw new AudioFormatException(path, "file is empty (0 bytes); expected audio (WAV, or a format ffmpeg decodes: flac, mp3, ogg, m4a, …)");
        return true;
    }

    /// <summary>
    /// A file that cannot seek (a pipe, a shell's <c>&lt;(…)</c>) read once, to its end: a WAV of an encoding
    /// <see cref="WavReader"/> decodes is decoded; anything else is an <see cref="AudioFormatException"/> (ffmpeg opens the
    /// path itself, and the bytes are already consumed), as is an empty one or a MIDI file.
    /// </summary>
    internal static AudioClip ReadUnseekable(string path)
    {
        var bytes = WavReader.ReadAllBytes(path);
        if (bytes.Length == 0) throw new AudioFormatException(path, "is an empty pipe (0 bytes); expected audio");
        ThrowIfMidi(path, bytes);
        bool wav = bytes.Length >= 12 && bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) && bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8);
        if (!wav || !WavReader.HasNativeEncoding(bytes))
            throw new AudioFormatException(path, "is a pipe (a stream that cannot be reopened) holding audio other than PCM/float WAV; " +
                                                 "only PCM/float WAV is read from a pipe (ffmpeg decodes files it can open itself): save it to a file first");
        return WavReader.Read(bytes, path);
    }

    /// <summary>
    /// A Standard MIDI File (starting with <c>MThd</c>) given as audio is an <see cref="AudioFormatException"/> saying so (a
    /// score is not a recording; ffmpeg would only say "Invalid data found when processing input").
    /// </summary>
    internal static void ThrowIfMidi(string path, ReadOnlySpan<byte> head)
    {
        if (head.Length >= 4 && head[..4].SequenceEqual("MThd"u8))
            throw new AudioFormatException(path, "is a MIDI file (Standard MIDI File, 'MThd'), not audio; expected a recording (WAV, or a format ffmpeg decodes: flac, mp3, ogg, m4a, …)");
    }

    /// <summary>True when the file starts with a RIFF/WAVE signature (bytes 0–3 "RIFF", 8–11 "WAVE").</summary>
    public static bool IsWav(string path)
    {
        Span<byte> head = stackalloc byte[12];
        try
        {
            using var f = File.OpenRead(path);
            int n = f.ReadAtLeast(head, 12, throwOnEndOfStream: false);
            return n == 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..].SequenceEqual("WAVE"u8);
        }
        catch (UnauthorizedAccessException e) { throw new AudioFormatException(path, "file cannot be read (permission denied)", e); }
        catch (IOException e) { throw new AudioFormatException(path, "file cannot be read: " + e.Message, e); }
    }

    /// <summary>
    /// Decodes file bytes already read from <paramref name="path"/>: natively when they are a WAV of a supported encoding,
    /// otherwise by ffmpeg from the path (as <see cref="Read"/>).
    /// </summary>
    internal static AudioClip Decode(byte[] bytes, string path, bool mono = false, string? ffmpegPath = null)
    {
        if (bytes.Length == 0) throw new AudioFormatException(path, "file is empty (0 bytes); expected audio (WAV, or a format ffmpeg decodes: flac, mp3, ogg, m4a, …)");
        ThrowIfMidi(path, bytes);
        bool wav = bytes.Length >= 12 && bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) && bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8);
        var clip = wav && WavReader.HasNativeEncoding(bytes) ? WavReader.Read(bytes, path) : DecodeWithFfmpeg(path, ffmpegPath ?? FfmpegPath);
        return mono ? clip.AsMono() : clip;
    }

    /// <summary>
    /// Starts <c>ffmpeg … -f wav -acodec pcm_f32le -</c> on <paramref name="path"/> with stdout and stderr redirected (the command
    /// documented on the type). A missing ffmpeg is an <see cref="ExternalToolException"/> saying how to install it.
    /// </summary>
    internal static Process StartFfmpeg(string path, string ffmpeg)
    {
        string ext = Path.GetExtension(path) is { Length: > 0 } e ? e.ToLowerInvariant() : "extensionless";
        var psi = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in new[] { "-nostdin", "-hide_banner", "-loglevel", "error", "-i", "file:" + Path.GetFullPath(path),
                     "-map", "0:a:0", "-vn", "-f", "wav", "-acodec", "pcm_f32le", "-" })
            psi.ArgumentList.Add(a);

        try
        {
            return Process.Start(psi) ?? throw new Win32Exception("process did not start");
        }
        catch (Win32Exception ex)
        {
            throw new ExternalToolException("ffmpeg",
                $"ffmpeg is required to decode {ext} files ({path}) but '{ffmpeg}' could not be started ({ex.Message}); " +
                "install it (Debian: apt-get install ffmpeg) or convert to WAV", ex);
        }
    }

    /// <summary>The last non-empty line of ffmpeg's stderr, or "(no message)".</summary>
    internal static string LastLine(string stderr)
        => stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no message)";

    private static AudioClip DecodeWithFfmpeg(string path, string ffmpeg)
    {
        using (var process = StartFfmpeg(path, ffmpeg))
        {
            var stdout = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            var stderr = process.StandardError.ReadToEndAsync();
            bool exited = process.WaitForExit(FfmpegTimeout);
            if (!exited)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // already gone
                process.WaitForExit();
                throw new ExternalToolException("ffmpeg", $"{path}: ffmpeg did not finish decoding within {FfmpegTimeout.TotalSeconds:0} s and was stopped");
            }
            process.WaitForExit(); // flush the redirected streams
            try { copy.GetAwaiter().GetResult(); }
            catch (IOException ex) { throw new AudioFormatException(path, "decoded audio exceeds 2 GiB; split the file first", ex); }
            string err = stderr.GetAwaiter().GetResult();
            if (process.ExitCode != 0)
            {
                throw new AudioFormatException(path, $"ffmpeg could not decode the file (exit code {process.ExitCode}): {LastLine(err)}");
            }
            if (stdout.Length == 0)
                throw new AudioFormatException(path, "ffmpeg produced no audio" + (err.Length > 0 ? ": " + err.Trim() : ""));
            return WavReader.Read(new ReadOnlySpan<byte>(stdout.GetBuffer(), 0, (int)stdout.Length), path);
        }
    }
}
