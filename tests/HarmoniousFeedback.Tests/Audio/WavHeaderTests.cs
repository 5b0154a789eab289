using HarmoniousFeedback.Audio;
using Xunit;
using static HarmoniousFeedback.Tests.Audio.RiffBuilder;

namespace HarmoniousFeedback.Tests.Audio;

/// <summary>Hand-assembled headers: chunk layout, lying sizes, placeholders and malformed files.</summary>
public class WavHeaderTests
{
    private static readonly byte[] Samples = Int16Le(16384, -16384, 1, -32768); // 0.5, −0.5, 2^-15, −1
    private static readonly float[] Expected = { 0.5f, -0.5f, 1f / 32768, -1f };

    [Fact]
    public void Odd_sized_unknown_chunk_with_pad_byte_before_data_and_unknown_chunks_are_skipped()
    {
        var bytes = Wave([
            ("LIST", "INFOISFT"u8.ToArray()),
            ("fmt ", Fmt(1, 1, 16000, 16)),
            ("junk", [1, 2, 3]),      // odd size 3 → a pad byte follows
            ("data", Samples),
            ("id3 ", [9, 9, 9, 9, 9]), // after data
        ]);
        var clip = WavReader.Read(bytes, "odd.wav");
        Assert.Equal(16000, clip.SampleRate);
        Assert.Equal(Expected, clip.Channels[0]);
    }

    [Fact]
    public void Data_before_fmt_is_accepted()
    {
        var clip = WavReader.Read(Wave([("data", Samples), ("fmt ", Fmt(1, 1, 8000, 16))]));
        Assert.Equal(Expected, clip.Channels[0]);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(4u)]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(123456789u)]
    public void Wrong_riff_size_is_tolerated(uint riffSize)
    {
        var clip = WavReader.Read(Wave([("fmt ", Fmt(1, 1, 8000, 16)), ("data", Samples)], riffSize: riffSize));
        Assert.Equal(Expected, clip.Channels[0]);
    }

    [Fact]
    public void Data_size_larger_than_the_file_is_an_error_naming_the_file()
    {
        var bytes = Wave([("fmt ", Fmt(1, 1, 8000, 16)), ("data", Samples)], dataSize: 1000);
        var e = Assert.Throws<AudioFormatException>(() => WavReader.Read(bytes, "lies.wav"));
        Assert.Equal("lies.wav", e.Path);
        Assert.Contains("'data' chunk declares 1000 bytes but only 8 remain", e.Message);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0u)]
    public void Data_size_placeholder_means_to_end_of_file_and_a_partial_frame_is_dropped(uint placeholder)
    {
        var body = Samples.Concat(new byte[] { 0x7F }).ToArray(); // a stray odd byte: half a frame
        var bytes = Wave([("fmt ", Fmt(1, 1, 8000, 16)), ("data", body)], riffSize: 0xFFFFFFFF, dataSize: placeholder);
        bytes = bytes[..^1]; // Wave padded the odd body; a streamed file has no pad
        var clip = WavReader.Read(bytes);
        Assert.Equal(Expected, clip.Channels[0]);
    }

    [Fact]
    public void Data_size_zero_followed_only_by_whole_chunks_is_an_empty_recording_not_audio()
    {
        // An empty take with metadata after it: before, the LIST and id3 chunks were decoded as 11 samples of noise.
        var empty = Wave([("fmt ", Fmt(1, 1, 8000, 16)), ("data", []), ("LIST", "INFOISFT\u0005\0\0\0abcd\0"u8.ToArray()), ("id3 ", [1, 2, 3])]);
        Assert.Equal(0, WavReader.ReadInfo(empty).Frames);
        Assert.Empty(WavReader.Read(empty, "empty.wav").Channels[0]);
        var path = Path.Combine(TestPaths.TempDir(), "empty take.wav");
        File.WriteAllBytes(path, empty);
        using (var r = AudioStreamReader.Open(path))
        {
            Assert.Equal(0, r.Length);
            Assert.Equal(0, r.ReadMono(new float[16]));
        }

        // Samples after a 0 placeholder are still samples, even when their first bytes look like a chunk header
        // ("aaaa", size 2) as long as what follows does not end exactly at the end of the file as whole chunks do.
        short[] values = [0x6161, 0x6161, 2, 0, 5, -7, 9];
        var streamed = Wave([("fmt ", Fmt(1, 1, 8000, 16)), ("data", Int16Le(values))], riffSize: 0, dataSize: 0);
        Assert.Equal(values.Select(v => v / 32768f).ToArray(), WavReader.Read(streamed).Channels[0]);
        File.WriteAllBytes(path, streamed);
        using (var r = AudioStreamReader.Open(path))
        {
            var got = new float[16];
            Assert.Equal(values.Length, r.ReadMono(got));
            Assert.Equal(values.Select(v => v / 32768f).ToArray(), got[..values.Length]);
        }
    }

    private static byte[] Float32Le(params float[] v) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()).ToArray();

    private static byte[] Float64Le(params double[] v) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()).ToArray();

    [Fact]
    public void Float_samples_that_are_not_finite_or_beyond_two_to_the_24_are_rejected_naming_the_first_one()
    {
        // Before: NaN/Inf were returned as samples (hfb feedback called a NaN take "silent"), and 1e30 made hfb feedback
        // crash with an IndexOutOfRangeException after the features overflowed to infinity.
        const float Max = 16_777_216f; // 2^24
        float[] fine = [0.5f, -2f, 32767f, -Max, Max];
        Assert.Equal(fine, WavReader.Read(Wave([("fmt ", Fmt(3, 1, 8000, 32)), ("data", Float32Le(fine))])).Channels[0]);

        void Bad(byte[] bytes, string expected)
        {
            var e = Assert.Throws<AudioFormatException>(() => WavReader.Read(bytes, "take.wav"));
            Assert.Equal("take.wav: " + expected + "; float WAV samples must be finite numbers within ±16777216 (nominally −1 .. 1)", e.Message);
        }
        Bad(Wave([("fmt ", Fmt(3, 1, 8000, 32)), ("data", Float32Le(0.5f, -2f, 0.25f, float.NaN, float.PositiveInfinity))]),
            "float sample 3 of channel 0 (at 0.000375 s) is NaN");
        Bad(Wave([("fmt ", Fmt(3, 2, 8000, 32)), ("data", Float32Le(0, 0, 0.1f, float.NegativeInfinity))]),
            "float sample 1 of channel 1 (at 0.000125 s) is -Inf");
        Bad(Wave([("fmt ", Fmt(3, 1, 8000, 32)), ("data", Float32Le(0, 33_554_432f))]),
            "float sample 1 of channel 0 (at 0.000125 s) is 33554432");
        Bad(Wave([("fmt ", Fmt(3, 1, 8000, 64)), ("data", Float64Le(0, 0, 1e300))]),
            "float sample 2 of channel 0 (at 0.00025 s) is +Inf (or beyond float32's range)");

        // The streaming reader finds it in whichever block it falls, and counts frames from the start of the file.
        var path = Path.Combine(TestPaths.TempDir(), "take.wav");
        File.WriteAllBytes(path, Wave([("fmt ", Fmt(3, 1, 8000, 32)), ("data", Float32Le(0.5f, -2f, 0.25f, float.NaN, 0))]));
        using var r = AudioStreamReader.Open(path);
        var block = new float[2];
        Assert.Equal(2, r.ReadMono(block));
        var se = Assert.Throws<AudioFormatException>(() => r.ReadMono(block));
        Assert.StartsWith($"{path}: float sample 3 of channel 0 (at 0.000375 s) is NaN", se.Message);
    }

    [Fact]
    public void A_chunk_running_past_the_end_before_fmt_is_named_in_the_missing_fmt_error()
    {
        // Before: only "no 'fmt ' chunk found", though the file has one, swallowed by a LIST chunk claiming 10^9 bytes.
        var good = Wave([("fmt ", Fmt(1, 1, 8000, 16)), ("data", Samples)]);
        byte[] bytes = [.. good[..12], .. "LIST"u8, 0x00, 0xCA, 0x9A, 0x3B, .. "INFO"u8, .. good[12..]]; // 0x3B9ACA00 = 10^9
        const string Expected = "x.wav: no 'fmt ' chunk found before chunk 'LIST' at byte offset 12, which declares 1000000000 bytes but only 44 remain (truncated file or a bad chunk size)";
        Assert.Equal(Expected, Assert.Throws<AudioFormatException>(() => WavReader.Read(bytes, "x.wav")).Message);
        var path = Path.Combine(TestPaths.TempDir(), "x.wav");
        File.WriteAllBytes(path, bytes);
        Assert.Equal(Expected.Replace("x.wav", path), Assert.Throws<AudioFormatException>(() => AudioStreamReader.Open(path)).Message);
    }

    [Fact]
    public void Malformed_files_raise_typed_errors_that_say_what_is_wrong()
    {
        void Bad(byte[] b, string expected)
        {
            var e = Assert.Throws<AudioFormatException>(() => WavReader.Read(b, "x.wav"));
            Assert.StartsWith("x.wav: ", e.Message);
            Assert.Contains(expected, e.Message);
        }
        Bad("RIFX\0\0\0\0WAVE"u8.ToArray(), "RIFX");
        Bad("OggS\0\0\0\0\0\0\0\0\0\0"u8.ToArray(), "missing 'RIFF'");
        Bad("RIFF\0\0\0\0AVI "u8.ToArray(), "not of form type 'WAVE'");
        Bad("RIFF"u8.ToArray(), "too short");
        Bad(Wave([("data", Samples)]), "no 'fmt ' chunk");
        Bad(Wave([("fmt ", Fmt(1, 1, 8000, 16))]), "no 'data' chunk");
        Bad(Wave([("fmt ", Fmt(1, 1, 8000, 12)), ("data", Samples)]), "PCM with 12 bits");
        Bad(Wave([("fmt ", Fmt(3, 1, 8000, 16)), ("data", Samples)]), "IEEE float with 16 bits");
        Bad(Wave([("fmt ", Fmt(0x55, 1, 8000, 16)), ("data", Samples)]), "unsupported WAV format tag 0x0055");
        Bad(Wave([("fmt ", Fmt(1, 0, 8000, 16)), ("data", Samples)]), "0 channels");
        Bad(Wave([("fmt ", Fmt(1, 1, 0, 16)), ("data", Samples)]), "sample rate 0 Hz");
        var badAlign = Fmt(1, 2, 8000, 16);
        badAlign[12] = 3;
        Bad(Wave([("fmt ", badAlign), ("data", Samples)]), "block align 3");
        Bad(Wave([("fmt ", Fmt(1, 1, 8000, 16)[..14]), ("data", Samples)]), "at least 16");
    }

    [Fact]
    public void Extensible_with_a_foreign_sub_format_guid_is_rejected()
    {
        var bytes = WavWriter.ToBytes(new AudioClip(new float[4], 8000), WavEncoding.Pcm16, extensible: true);
        bytes[12 + 8 + 24 + 6] ^= 0x01; // flip a byte of the GUID's tail (fmt body starts at 20; GUID at 20 + 24)
        var e = Assert.Throws<AudioFormatException>(() => WavReader.Read(bytes));
        Assert.Contains("sub-format GUID", e.Message);
    }

    [Fact]
    public void Missing_file_is_a_typed_error()
    {
        var path = Path.Combine(TestPaths.TempDir(), "none.wav");
        Assert.Contains("file not found", Assert.Throws<AudioFormatException>(() => WavReader.Read(path)).Message);
        Assert.Contains("file not found", Assert.Throws<AudioFormatException>(() => WavReader.ReadInfo(path)).Message);
    }
}
