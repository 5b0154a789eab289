using System.Diagnostics;
using HarmoniousFeedback.Audio;
using Xunit;

namespace HarmoniousFeedback.Tests.Audio;

public class AudioStreamReaderTests
{
    private static AudioClip Clip(int channels, int frames, int rate = 22050)
    {
        var rng = new SplitMix64(11);
        var ch = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            ch[c] = new float[frames];
            for (int i = 0; i < frames; i++) ch[c][i] = (float)((long)(rng.NextDouble() * 65536) - 32768) / 32768f; // exact in every encoding ≥ 16 bits
        }
        return new AudioClip(ch, rate);
    }

    /// <summary>Everything the reader returns, asking for <paramref name="ask"/> samples per call.</summary>
    private static float[] ReadAll(AudioStreamReader r, int ask)
    {
        var all = new List<float>();
        var buf = new float[ask];
        for (int n; (n = r.ReadMono(buf)) > 0;) all.AddRange(buf.AsSpan(0, n).ToArray());
        Assert.Equal(0, r.ReadMono(buf)); // stays at the end
        return [.. all];
    }

    [Theory]
    [InlineData(WavEncoding.Pcm16, 1)]
    [InlineData(WavEncoding.Pcm16, 2)]
    [InlineData(WavEncoding.Pcm24, 3)]
    [InlineData(WavEncoding.Pcm32, 1)]
    [InlineData(WavEncoding.Pcm8, 2)]
    [InlineData(WavEncoding.Float32, 1)]
    [InlineData(WavEncoding.Float32, 2)]
    [InlineData(WavEncoding.Float64, 2)]
    public void Wav_blocks_are_the_samples_of_the_whole_file_downmixed(WavEncoding encoding, int channels)
    {
        var path = Path.Combine(TestPaths.TempDir(), "x.wav");
        WavWriter.Write(path, Clip(channels, 200_003), encoding);
        var whole = AudioFile.Read(path, mono: true).Channels[0];
        foreach (int ask in new[] { 1, 999, 65536, 300_000 })
        {
            using var r = AudioStreamReader.Open(path);
            Assert.Equal((22050, channels, (long?)200_003), (r.SampleRate, r.ChannelCount, r.Length));
            Assert.Equal(whole, ReadAll(r, ask));
            Assert.Equal(200_003, r.Position);
        }
    }

    [Fact]
    public void Wav_with_the_data_chunk_before_fmt_and_streaming_size_placeholders_is_read()
    {
        var clip = Clip(1, 1001);
        var pcm = WavWriter.ToBytes(clip, WavEncoding.Pcm16)[44..];
        var dir = TestPaths.TempDir();
        var before = Path.Combine(dir, "data-first.wav");
        File.WriteAllBytes(before, RiffBuilder.Wave([("LIST", new byte[7]), ("data", pcm), ("fmt ", RiffBuilder.Fmt(1, 1, 22050, 16))]));
        var placeholder = Path.Combine(dir, "placeholder.wav");
        File.WriteAllBytes(placeholder, RiffBuilder.Wave([("fmt ", RiffBuilder.Fmt(1, 1, 22050, 16)), ("data", pcm)], riffSize: uint.MaxValue, dataSize: uint.MaxValue));
        foreach (var p in new[] { before, placeholder })
        {
            using var r = AudioStreamReader.Open(p);
            Assert.Equal(clip.Channels[0], ReadAll(r, 100));
        }
    }

    [Fact]
    public void Missing_files_folders_and_broken_headers_are_audio_format_errors()
    {
        var dir = TestPaths.TempDir();
        Assert.Contains("is a folder, not an audio file", Assert.Throws<AudioFormatException>(() => AudioStreamReader.Open(dir)).Message);
        Assert.Contains("file not found", Assert.Throws<AudioFormatException>(() => AudioStreamReader.Open(Path.Combine(dir, "gone.wav"))).Message);
        var truncated = Path.Combine(dir, "truncated.wav");
        File.WriteAllBytes(truncated, RiffBuilder.Wave([("fmt ", RiffBuilder.Fmt(1, 1, 22050, 16)), ("data", new byte[100])], dataSize: 5000));
        Assert.Contains("'data' chunk declares 5000 bytes but only 100 remain", Assert.Throws<AudioFormatException>(() => AudioStreamReader.Open(truncated)).Message);
        var noFmt = Path.Combine(dir, "nofmt.wav");
        File.WriteAllBytes(noFmt, RiffBuilder.Wave([("data", new byte[100])]));
        Assert.Contains("no 'fmt ' chunk found", Assert.Throws<AudioFormatException>(() => AudioStreamReader.Open(noFmt)).Message);
    }

    [Fact]
    public void Missing_ffmpeg_is_an_external_tool_error_that_says_how_to_install_it()
    {
        var dir = TestPaths.TempDir();
        var path = Path.Combine(dir, "song.mp3");
        File.WriteAllBytes(path, [0xFF, 0xFB, 0x90, 0x00, 1, 2, 3]);
        var e = Assert.Throws<ExternalToolException>(() => AudioStreamReader.Open(path, Path.Combine(dir, "no-such-ffmpeg")));
        Assert.Contains("apt-get install ffmpeg", e.Message);
    }

    private static void Ffmpeg(params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(ToolLocator.Find("ffmpeg")!, ["-nostdin", "-loglevel", "error", "-y", .. args]))!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [ToolFact("ffmpeg")]
    public void Flac_and_mp3_piped_from_ffmpeg_are_the_samples_the_whole_file_decode_gives()
    {
        var dir = TestPaths.TempDir();
        var wav = Path.Combine(dir, "in.wav");
        WavWriter.Write(wav, Clip(2, 300_001, 44100), WavEncoding.Pcm16);
        foreach (var ext in new[] { "flac", "mp3" })
        {
            var path = Path.Combine(dir, "in." + ext);
            Ffmpeg("-i", wav, path);
            var whole = AudioFile.Read(path, mono: true);
            using var r = AudioStreamReader.Open(path);
            Assert.Null(r.Length); // a pipe: known at the end
            Assert.Equal((whole.SampleRate, 2), (r.SampleRate, r.ChannelCount));
            Assert.Equal(whole.Channels[0], ReadAll(r, 4097));
        }
    }

    [ToolFact("ffmpeg")]
    public void A_file_ffmpeg_cannot_decode_is_an_audio_format_error_with_its_message()
    {
        var path = Path.Combine(TestPaths.TempDir(), "broken.flac");
        File.WriteAllBytes(path, "fLaC but not really a flac stream"u8.ToArray());
        var e = Assert.Throws<AudioFormatException>(() => { using var r = AudioStreamReader.Open(path); ReadAll(r, 1000); });
        Assert.Contains("ffmpeg could not decode the file", e.Message);
    }

    [ToolFact("ffmpeg")]
    public void Disposing_before_the_end_stops_ffmpeg()
    {
        var dir = TestPaths.TempDir();
        var wav = Path.Combine(dir, "long.wav");
        WavWriter.Write(wav, Clip(1, 16000 * 120, 16000), WavEncoding.Pcm16);
        var flac = Path.Combine(dir, "long.flac");
        Ffmpeg("-i", wav, flac);
        int pid;
        using (var r = AudioStreamReader.Open(flac))
        {
            Assert.True(r.ReadMono(new float[1000]) > 0);
            pid = ((FfmpegStreamReader)r).ProcessId;
            Assert.False(Process.GetProcessById(pid).HasExited); // two minutes of audio: still decoding
        }
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid)); // stopped and reaped
    }
}
