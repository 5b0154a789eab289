using System.Diagnostics;
using HarmoniousFeedback.Audio;
using Xunit;

namespace HarmoniousFeedback.Tests.Audio;

public class AudioFileTests
{
    private static AudioClip TestClip(int channels = 2, int frames = 1000, int rate = 22050)
    {
        var rng = new Random(3);
        var ch = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            ch[c] = new float[frames];
            for (int i = 0; i < frames; i++) ch[c][i] = rng.Next(-32768, 32768) / 32768f; // exact in every encoding ≥ 16 bits
        }
        return new AudioClip(ch, rate);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string FakeTool(string dir, string script)
    {
        var p = Path.Combine(dir, "fake-ffmpeg");
        File.WriteAllText(p, "#!/bin/sh\n" + script + "\n");
        File.SetUnixFileMode(p, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return p;
    }

    [Fact]
    public void Wav_is_detected_by_its_signature_not_its_extension()
    {
        var dir = TestPaths.TempDir();
        var clip = TestClip();
        var path = Path.Combine(dir, "actually-wav.mp3");
        WavWriter.Write(path, clip, WavEncoding.Pcm24);
        // A nonexistent ffmpeg proves the native reader was used.
        var back = AudioFile.Read(path, ffmpegPath: Path.Combine(dir, "no-such-ffmpeg"));
        Assert.Equal(clip.Channels, back.Channels);
        Assert.Equal(22050, back.SampleRate);
        var mono = AudioFile.Read(path, mono: true, ffmpegPath: Path.Combine(dir, "no-such-ffmpeg"));
        Assert.Equal(clip.ToMono(), mono.Channels[0]);
    }

    [Fact]
    public void Missing_ffmpeg_is_an_external_tool_error_that_says_how_to_install_it()
    {
        var dir = TestPaths.TempDir();
        var path = Path.Combine(dir, "song.mp3");
        File.WriteAllBytes(path, [0xFF, 0xFB, 0x90, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var e = Assert.Throws<ExternalToolException>(() => AudioFile.Read(path, ffmpegPath: Path.Combine(dir, "no-such-ffmpeg")));
        Assert.Equal("ffmpeg", e.Tool);
        Assert.Contains("ffmpeg is required to decode .mp3 files", e.Message);
        Assert.Contains("apt-get install ffmpeg", e.Message);
        Assert.Contains("convert to WAV", e.Message);
    }

    [Fact]
    public void Empty_file_is_an_audio_format_error_that_says_so_without_asking_for_ffmpeg()
    {
        // Before: an empty .wav/.mp3 went to ffmpeg ("Invalid data found when processing input"), or without ffmpeg asked
        // the user to install it.
        var dir = TestPaths.TempDir();
        foreach (var name in new[] { "take.wav", "take.mp3" })
        {
            var path = Path.Combine(dir, name);
            File.WriteAllBytes(path, []);
            var noFfmpeg = Path.Combine(dir, "no-such-ffmpeg");
            foreach (var e in new[]
                     {
                         Assert.Throws<AudioFormatException>(() => AudioFile.Read(path, ffmpegPath: noFfmpeg)),
                         Assert.Throws<AudioFormatException>(() => AudioFile.Decode([], path, ffmpegPath: noFfmpeg)),
                         Assert.Throws<AudioFormatException>(() => AudioStreamReader.Open(path, ffmpegPath: noFfmpeg)),
                     })
            {
                Assert.Equal(path, e.Path);
                Assert.Contains("file is empty (0 bytes); expected audio (WAV, or a format ffmpeg decodes", e.Message);
            }
        }
    }

    [Fact]
    public void A_midi_file_given_as_audio_says_it_is_midi_without_asking_for_ffmpeg()
    {
        // Before: ffmpeg's "Invalid data found when processing input", or without ffmpeg "ffmpeg is required to decode .mid files".
        var dir = TestPaths.TempDir();
        var path = Path.Combine(dir, "score.mid");
        byte[] smf = [.. "MThd"u8, 0, 0, 0, 6, 0, 0, 0, 1, 1, 0xE0, .. "MTrk"u8, 0, 0, 0, 4, 0, 0xFF, 0x2F, 0];
        File.WriteAllBytes(path, smf);
        var noFfmpeg = Path.Combine(dir, "no-such-ffmpeg");
        foreach (var e in new[]
                 {
                     Assert.Throws<AudioFormatException>(() => AudioFile.Read(path, ffmpegPath: noFfmpeg)),
                     Assert.Throws<AudioFormatException>(() => AudioFile.Decode(smf, path, ffmpegPath: noFfmpeg)),
                     Assert.Throws<AudioFormatException>(() => AudioStreamReader.Open(path, ffmpegPath: noFfmpeg)),
                 })
            Assert.Equal($"{path}: is a MIDI file (Standard MIDI File, 'MThd'), not audio; expected a recording (WAV, or a format ffmpeg decodes: flac, mp3, ogg, m4a, …)", e.Message);
    }

    /// <summary>Runs <paramref name="read"/> on <c>/dev/fd/N</c> of a pipe that a task fills with <paramref name="content"/> and closes (what a shell's &lt;(…) passes).</summary>
    private static T FromPipe<T>(byte[] content, Func<string, T> read)
    {
        using var server = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out, HandleInheritability.None);
        var path = $"/dev/fd/{server.ClientSafePipeHandle.DangerousGetHandle()}";
        var writer = Task.Run(() =>
        {
            try { server.Write(content); }
            catch (IOException) { } // the reader gave up early
            finally { server.Dispose(); }
        });
        try { return read(path); }
        finally { writer.Wait(); }
    }

    [UnixFact]
    public void A_wav_pipe_is_read_once_by_the_whole_file_and_the_streaming_reader()
    {
        // Before: the header was read by one open and the samples by another, so a pipe lost its first bytes:
        // "file is empty (0 bytes); expected a RIFF/WAVE file" or "not a WAV file: missing 'RIFF' signature".
        var x = Enumerable.Range(0, 40_000).Select(i => (float)Math.Round(0.4 * Math.Sin(i * 0.05) * 32767) / 32768f).ToArray();
        var wav = WavWriter.ToBytes(new AudioClip([x, x.Select(v => -v).ToArray()], 16000), WavEncoding.Pcm16); // 160 kB, > a pipe's buffer
        var expected = WavReader.Read(wav, "file").ToMono();
        var clip = FromPipe(wav, p => AudioFile.Read(p, mono: true));
        Assert.Equal(16000, clip.SampleRate);
        Assert.Equal(expected, clip.Channels[0]);
        var streamed = FromPipe(wav, p =>
        {
            using var r = AudioStreamReader.Open(p);
            var all = new List<float>();
            var block = new float[1000];
            for (int n; (n = r.ReadMono(block)) > 0;) all.AddRange(block[..n]);
            return all.ToArray();
        });
        Assert.Equal(expected, streamed);

        var e = Assert.Throws<AudioFormatException>(() => FromPipe([0xFF, 0xFB, 0x90, 0, 1, 2, 3, 4, 5, 6, 7, 8], p => AudioFile.Read(p)));
        Assert.Contains("is a pipe (a stream that cannot be reopened) holding audio other than PCM/float WAV", e.Message);
        Assert.Contains("is an empty pipe (0 bytes)", Assert.Throws<AudioFormatException>(() => FromPipe([], p => AudioStreamReader.Open(p))).Message);
    }

    [Fact]
    public void Missing_input_file_is_an_audio_format_error()
    {
        var path = Path.Combine(TestPaths.TempDir(), "gone.flac");
        var e = Assert.Throws<AudioFormatException>(() => AudioFile.Read(path));
        Assert.Contains("file not found", e.Message);
        Assert.Equal(path, e.Path);
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Ffmpeg_output_is_parsed_from_stdout_with_streaming_size_placeholders()
    {
        var dir = TestPaths.TempDir();
        var clip = TestClip(channels: 2);
        var wav = WavWriter.ToBytes(clip, WavEncoding.Float32);
        // What ffmpeg writes to a pipe: RIFF and data sizes it cannot seek back to fix (0xFFFFFFFF).
        BitConverter.TryWriteBytes(wav.AsSpan(4), uint.MaxValue);
        BitConverter.TryWriteBytes(wav.AsSpan(wav.Length - clip.Length * 8 - 4), uint.MaxValue);
        var stream = Path.Combine(dir, "stream.wav.bin");
        File.WriteAllBytes(stream, wav);
        var args = Path.Combine(dir, "args.txt");
        var tool = FakeTool(dir, $"printf '%s\\n' \"$@\" > '{args}'\ncat '{stream}'");
        var input = Path.Combine(dir, "x.ogg");
        File.WriteAllBytes(input, "OggS-not-really"u8.ToArray());
        var back = AudioFile.Read(input, ffmpegPath: tool);
        Assert.Equal(clip.Channels, back.Channels);
        Assert.Equal(input, back.Source);
        var argv = File.ReadAllLines(args);
        Assert.Equal(["-nostdin", "-hide_banner", "-loglevel", "error", "-i", "file:" + Path.GetFullPath(input),
            "-map", "0:a:0", "-vn", "-f", "wav", "-acodec", "pcm_f32le", "-"], argv);
    }

    [Fact]
    public void Wav_in_an_encoding_the_native_reader_lacks_goes_to_ffmpeg()
    {
        var dir = TestPaths.TempDir();
        var mulaw = Path.Combine(dir, "speech.wav");
        File.WriteAllBytes(mulaw, RiffBuilder.Wave([("fmt ", RiffBuilder.Fmt(7, 1, 8000, 8)), ("data", [0xFF, 0x7F, 0x00, 0x80])])); // tag 7 = µ-law
        var e = Assert.Throws<ExternalToolException>(() => AudioFile.Read(mulaw, ffmpegPath: Path.Combine(dir, "no-such-ffmpeg")));
        Assert.Contains("ffmpeg is required to decode .wav files", e.Message);
        // WavReader itself names the unsupported tag.
        Assert.Contains("0x0007", Assert.Throws<AudioFormatException>(() => WavReader.Read(mulaw)).Message);
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Ffmpeg_failure_is_an_audio_format_error_with_its_last_stderr_line()
    {
        var dir = TestPaths.TempDir();
        var tool = FakeTool(dir, "echo 'something first' >&2\necho 'x.ogg: Invalid data found when processing input' >&2\nexit 1");
        var input = Path.Combine(dir, "x.ogg");
        File.WriteAllBytes(input, [1, 2, 3]);
        var e = Assert.Throws<AudioFormatException>(() => AudioFile.Read(input, ffmpegPath: tool));
        Assert.Equal(input, e.Path);
        Assert.Contains("exit code 1", e.Message);
        Assert.EndsWith("x.ogg: Invalid data found when processing input", e.Message);
        Assert.DoesNotContain("something first", e.Message);
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Ffmpeg_producing_garbage_is_an_audio_format_error()
    {
        var dir = TestPaths.TempDir();
        var tool = FakeTool(dir, "printf 'not a wav at all'");
        var input = Path.Combine(dir, "x.m4a");
        File.WriteAllBytes(input, [1, 2, 3]);
        Assert.Contains("missing 'RIFF'", Assert.Throws<AudioFormatException>(() => AudioFile.Read(input, ffmpegPath: tool)).Message);
    }

    private static void RunFfmpeg(params string[] args)
    {
        var p = Process.Start(new ProcessStartInfo(ToolLocator.Find("ffmpeg")!, ["-nostdin", "-loglevel", "error", "-y", .. args]))!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [ToolFact("ffmpeg")]
    public void Real_ffmpeg_decodes_flac_bit_exactly_at_the_files_own_rate_and_channels()
    {
        var dir = TestPaths.TempDir();
        foreach (int channels in new[] { 2, 6 }) // 6 channels: ffmpeg writes WAVE_FORMAT_EXTENSIBLE
        {
            var clip = TestClip(channels: channels, frames: 5000, rate: 22050);
            var wav = Path.Combine(dir, $"in{channels}.wav");
            WavWriter.Write(wav, clip, WavEncoding.Pcm16);
            var flac = Path.Combine(dir, $"in{channels}.flac");
            RunFfmpeg("-i", wav, flac);
            var back = AudioFile.Read(flac);
            Assert.Equal(22050, back.SampleRate);
            Assert.Equal(channels, back.ChannelCount);
            Assert.Equal(clip.Channels, back.Channels); // FLAC is lossless; ffmpeg's s16 → f32 is s/32768, as ours
        }
    }

    [ToolFact("ffmpeg")]
    public void Real_ffmpeg_decodes_mp3_keeping_rate_channels_and_the_tone()
    {
        var dir = TestPaths.TempDir();
        var tone = new float[44100];
        for (int i = 0; i < tone.Length; i++) tone[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / 44100));
        var wav = Path.Combine(dir, "tone.wav");
        WavWriter.Write(wav, new AudioClip([tone, tone], 44100), WavEncoding.Pcm16);
        var mp3 = Path.Combine(dir, "tone.mp3");
        RunFfmpeg("-i", wav, "-b:a", "192k", mp3);
        var back = AudioFile.Read(mp3, mono: true);
        Assert.Equal(44100, back.SampleRate);
        Assert.Equal(1, back.ChannelCount);
        Assert.InRange(back.Length, 44100, 44100 + 2 * 1152); // encoder delay/padding at most two frames
        // A lossy codec keeps the tone: residual of a 440 Hz fit well below the tone (generous −30 dB for 192 kb/s).
        Assert.True(ResamplerTests.SpuriousDb(back.Channels[0], 440, 44100, 2048) < -30);
    }

    [ToolFact("ffmpeg")]
    public void Real_ffmpeg_decodes_mu_law_wav()
    {
        var dir = TestPaths.TempDir();
        var clip = TestClip(channels: 1, frames: 800, rate: 8000);
        var wav = Path.Combine(dir, "in.wav");
        WavWriter.Write(wav, clip, WavEncoding.Pcm16);
        var mulaw = Path.Combine(dir, "mulaw.wav");
        RunFfmpeg("-i", wav, "-c:a", "pcm_mulaw", mulaw);
        var back = AudioFile.Read(mulaw);
        Assert.Equal(8000, back.SampleRate);
        Assert.Equal(800, back.Length);
        // µ-law keeps ~14 bits near 0 and a 4-bit mantissa in the loudest segment: |error| ≤ 1/32 of full scale.
        for (int i = 0; i < 800; i++) Assert.Equal(clip.Channels[0][i], back.Channels[0][i], 1.0 / 32);
    }

    [ToolFact("ffmpeg")]
    public void Real_ffmpeg_rejects_a_corrupt_file_with_its_message()
    {
        var path = Path.Combine(TestPaths.TempDir(), "corrupt.mp3");
        File.WriteAllBytes(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 37)).ToArray());
        var e = Assert.Throws<AudioFormatException>(() => AudioFile.Read(path));
        Assert.Contains("ffmpeg could not decode", e.Message);
    }
}
