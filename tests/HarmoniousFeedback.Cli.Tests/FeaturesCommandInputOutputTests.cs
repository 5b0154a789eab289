using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

/// <summary>
/// hfb features: what it reads (any format the library reads), where it writes (refusing folders and paths below files
/// before any work, leaving no temporary file), and long recordings streamed to the CSV the whole file would give.
/// </summary>
public class FeaturesCommandInputOutputTests
{
    /// <summary>A recording-like test signal: notes that change every 0.37 s, silent gaps, 16 kHz int16.</summary>
    private static string Wav(string dir, double seconds, string name = "rec.wav")
    {
        int n = (int)(16000 * seconds);
        var x = new float[n];
        for (int t = 0; t < n; t++)
        {
            double s = t / 16000.0;
            double f = 110 * Math.Pow(2, ((int)(s / 0.37) * 7 % 24) / 12.0);
            x[t] = s % 2.3 > 1.7 ? 0f : (float)Math.Round(0.3 * Math.Sin(2 * Math.PI * f * s) * 32767) / 32768f;
        }
        var p = Path.Combine(dir, name);
        WavWriter.Write(p, new AudioClip(x, 16000), WavEncoding.Pcm16);
        return p;
    }

    private static void AssertOneLine(Hfb.Result r, string expected)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.StdErr);
        Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", r.StdErr);
    }

    private static void AssertNoTempFiles(string dir)
        => Assert.DoesNotContain(Directory.GetFiles(dir, "*", SearchOption.AllDirectories), f => f.Contains(".tmp-", StringComparison.Ordinal));

    [Fact]
    public void Out_naming_an_existing_folder_is_one_line_exit_2_and_leaves_no_temporary_file()
    {
        var dir = Hfb.TempDir();
        var wav = Wav(dir, 1);
        var outDir = Directory.CreateDirectory(Path.Combine(dir, "out")).FullName;
        foreach (var kind in new[] { "mfcc", "lld", "pitch" })
        {
            var r = Hfb.Run("features", kind, "--input", wav, "--out", outDir);
            AssertOneLine(r, "is a folder; the --out file must be a file path");
        }
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
        AssertNoTempFiles(dir);
    }

    [Fact]
    public void Out_below_a_file_is_one_line_exit_2()
    {
        var dir = Hfb.TempDir();
        var wav = Wav(dir, 1);
        var r = Hfb.Run("features", "mfcc", "--input", wav, "--out", Path.Combine(wav, "x.csv"));
        AssertOneLine(r, $"{wav} is a file, not a folder");
        r = Hfb.Run("features", "mfcc", "--input", wav, "--out", wav);
        AssertOneLine(r, "is the --input file");
        AssertNoTempFiles(dir);
        Assert.Equal(["rec.wav"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Float_wavs_with_nan_or_absurd_samples_are_one_line_naming_the_file_and_the_sample()
    {
        // Before: NaN gave "signal sample 100 is NaN" without the file; 1e30 wrote a CSV of Infinity (exit 0).
        var dir = Hfb.TempDir();
        var x = new float[16000];
        for (int t = 0; t < x.Length; t++) x[t] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * t / 16000.0));
        var nan = (float[])x.Clone();
        nan[100] = float.NaN;
        var loud = x.Select(v => v * 1e30f).ToArray();
        string nanWav = Path.Combine(dir, "nan take.wav"), loudWav = Path.Combine(dir, "loud.wav");
        WavWriter.Write(nanWav, new AudioClip(nan, 16000), WavEncoding.Float32);
        WavWriter.Write(loudWav, new AudioClip(loud, 16000), WavEncoding.Float32);
        string csv = Path.Combine(dir, "x.csv");
        AssertOneLine(Hfb.Run("features", "energy", "--input", nanWav, "--out", csv),
            $"{nanWav}: float sample 100 of channel 0 (at 0.00625 s) is NaN; float WAV samples must be finite numbers within ±16777216");
        AssertOneLine(Hfb.Run("features", "logmel", "--input", loudWav, "--out", csv), $"{loudWav}: float sample 1 of channel 0");
        Assert.False(File.Exists(csv));
        AssertNoTempFiles(dir);
    }

    [Fact]
    public void Input_naming_a_folder_says_it_is_a_folder()
    {
        var dir = Hfb.TempDir();
        var r = Hfb.Run("features", "mfcc", "--input", dir, "--out", Path.Combine(dir, "x.csv"));
        AssertOneLine(r, "is a folder, not an audio file");
        Assert.DoesNotContain("permission", r.StdErr);
    }

    [Fact]
    public void Bad_flags_are_refused_before_any_output_is_written()
    {
        var dir = Hfb.TempDir();
        var wav = Wav(dir, 1);
        var csv = Path.Combine(dir, "x.csv");
        AssertOneLine(Hfb.Run("features", "lld", "--input", wav, "--out", csv, "--n-fft", "511", "--segment-seconds", "0", "--n-mfcc", "13"),
                      "--n-fft (NFft) = 511");
        var r = Hfb.Run("features", "lld", "--input", wav, "--out", csv, "--n-fft", "511", "--segment-seconds", "0", "--n-mfcc", "13");
        Assert.Contains("--segment-seconds (SegmentSeconds) = 0", r.StdErr);
        Assert.Contains("--n-mfcc (NMfcc) = 13", r.StdErr);
        AssertOneLine(Hfb.Run("features", "lld", "--input", wav, "--out", csv, "--clip-stats"), "--clip-stats needs frame-level rows");
        Assert.False(File.Exists(csv));
        AssertNoTempFiles(dir);
    }

    [FfmpegFact]
    public void Flac_and_mp3_inputs_are_decoded_through_ffmpeg()
    {
        var dir = Hfb.TempDir();
        var wav = Wav(dir, 5);
        var fromWav = Path.Combine(dir, "wav.csv");
        Assert.Equal(0, Hfb.Run("features", "lld", "--input", wav, "--out", fromWav).ExitCode);
        foreach (var ext in new[] { "flac", "mp3" })
        {
            var audio = Path.Combine(dir, "rec." + ext);
            Ffmpeg.Convert(wav, audio);
            var csv = Path.Combine(dir, ext + ".csv");
            var r = Hfb.Run("features", "lld", "--input", audio, "--out", csv);
            Assert.True(r.ExitCode == 0, r.StdErr);
            if (ext == "flac") Assert.Equal(File.ReadAllBytes(fromWav), File.ReadAllBytes(csv)); // lossless: the same samples
            else Assert.Equal(File.ReadAllLines(fromWav).Length, File.ReadAllLines(csv).Length);
        }
    }

    [Fact]
    public void A_missing_ffmpeg_is_one_line_that_names_ffmpeg()
    {
        var dir = Hfb.TempDir();
        var mp3 = Path.Combine(dir, "rec.mp3");
        File.WriteAllBytes(mp3, [0xFF, 0xFB, 0x90, 0x00, 1, 2, 3, 4]);
        var saved = AudioFile.FfmpegPath;
        try
        {
            AudioFile.FfmpegPath = Path.Combine(dir, "no-such-ffmpeg");
            var r = Hfb.Run("features", "mfcc", "--input", mp3, "--out", Path.Combine(dir, "x.csv"));
            AssertOneLine(r, "ffmpeg is required to decode .mp3 files");
            Assert.Contains("apt-get install ffmpeg", r.StdErr);
        }
        finally { AudioFile.FfmpegPath = saved; }
    }

    [Fact]
    public void A_long_recording_streams_to_the_csv_of_the_whole_file()
    {
        // 100 s is longer than one streaming block (8192 frames = 81.9 s), so the CLI streams it; the MFCC kind reads it twice.
        var dir = Hfb.TempDir();
        var wav = Wav(dir, 100);
        var clip = AudioFile.Read(wav, mono: true);
        var lld = Path.Combine(dir, "lld.csv");
        var r = Hfb.Run("features", "lld", "--input", wav, "--out", lld);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("33 segments from 100 s of audio (read twice: clip-level top_db)", r.StdErr);
        var expected = Path.Combine(dir, "expected.csv");
        FeatureCsv.Write(new LldExtractor().ComputeSegments(clip), expected, includeTime: true);
        Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(lld));

        var pitch = Path.Combine(dir, "pitch.csv");
        Assert.Equal(0, Hfb.Run("features", "pitch", "--input", wav, "--out", pitch).ExitCode);
        FeatureCsv.Write(new PitchTracker().Compute(clip), expected, includeTime: true, columns: [0]);
        Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(pitch));
    }

    [Fact]
    public void Clip_stats_writes_one_row_of_column_means_and_stds()
    {
        var dir = Hfb.TempDir();
        var wav = Wav(dir, 3);
        var csv = Path.Combine(dir, "stats.csv");
        var r = Hfb.Run("features", "mfcc", "--input", wav, "--out", csv, "--n-mfcc", "13", "--clip-stats");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("mfcc_0_mean,", lines[0]);
        Assert.Contains(",mfcc_12_std", lines[0]);
        var expected = FeatureStatistics.MeanStd(new Mfcc(new MfccOptions { NMfcc = 13 }).Compute(AudioFile.Read(wav, mono: true)));
        var got = lines[1].Split(',').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected[..13], got[..13]);                         // identical means
        for (int j = 13; j < 26; j++) Assert.Equal(expected[j], got[j], expected[j] * 1e-6f); // Welford std: within a float ulp
    }
}
