using HarmoniousFeedback.Audio;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

[Collection("console")] // redirects Console.Error
public class FeaturesCommandTests
{
    private static readonly object ConsoleLock = new();

    private static (int Code, string Err) Run(params string[] args)
    {
        lock (ConsoleLock)
        {
            var saved = Console.Error;
            var sw = new StringWriter();
            Console.SetError(sw);
            try { return (Program.Main(args), sw.ToString()); }
            finally { Console.SetError(saved); }
        }
    }

    private static string Wav(double seconds = 1.0)
    {
        var dir = HarmoniousFeedback.Tests.TestTemp.Dir("hfb-cli-feat");
        int n = (int)(16000 * seconds);
        var x = new float[n];
        for (int t = 0; t < n; t++) x[t] = (float)(0.3 * Math.Sin(2 * Math.PI * 220 * t / 16000) + 0.1 * Math.Sin(2 * Math.PI * 660 * t / 16000));
        var p = Path.Combine(dir, "tone.wav");
        WavWriter.Write(p, new AudioClip(x, 16000));
        return p;
    }

    [Theory]
    [InlineData("spectrogram", new string[0], 257)]
    [InlineData("mfcc", new[] { "--n-mfcc", "13" }, 13)]
    [InlineData("logmel", new[] { "--n-mels", "40", "--mel-scale", "slaney", "--mel-norm", "slaney" }, 40)]
    [InlineData("energy", new string[0], 2)]
    [InlineData("zcr", new[] { "--win-length", "400" }, 1)]
    [InlineData("pitch", new string[0], 2)]
    [InlineData("formants", new string[0], 5)]
    public void Writes_an_anchors_format_csv(string kind, string[] extra, int columns)
    {
        var wav = Wav();
        var csv = Path.ChangeExtension(wav, kind + ".csv");
        var (code, err) = Run(["features", kind, "--input", wav, "--out", csv, .. extra]);
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(1 + 1 + 16000 / 160, lines.Length);
        Assert.Equal(columns, lines[0].Split(',').Length);
        Assert.All(lines.Skip(1), l => Assert.Equal(columns, l.Split(',').Length));
        Assert.All(lines.Skip(1).SelectMany(l => l.Split(',')), f => double.Parse(f, System.Globalization.CultureInfo.InvariantCulture));
        if (kind == "pitch")
        {
            Assert.Equal("time_s,f0_hz", lines[0]);
            Assert.Equal(220.0, double.Parse(lines[50].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture), 2.0);
        }
    }

    [Fact]
    public void Lld_writes_50_named_columns_per_segment()
    {
        var wav = Wav(5.0);
        var csv = Path.ChangeExtension(wav, "lld.csv");
        var (code, err) = Run("features", "lld", "--input", wav, "--out", csv, "--segment-seconds", "2", "--overlap", "1");
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(51, lines[0].Split(',').Length); // time_s + 50
        Assert.StartsWith("time_s,mfcc_mean_0,", lines[0]);
        Assert.Equal(1 + 4, lines.Length); // starts 0,1,2,3 (the 1 s tail at 4 s is < half a segment)
        (code, err) = Run("features", "lld", "--input", wav, "--out", csv, "--frame-level");
        Assert.True(code == 0, err);
        lines = File.ReadAllLines(csv);
        Assert.Equal(32, lines[0].Split(',').Length); // time_s + 31 frame-level columns
        Assert.Equal(1 + 1 + 5 * 16000 / 160, lines.Length);
    }

    [Fact]
    public void Bad_options_exit_2_and_name_every_flag()
    {
        var wav = Wav();
        var (code, err) = Run("features", "mfcc", "--input", wav, "--out", wav + ".csv", "--n-fft", "511", "--hop", "0", "--n-mfcc", "99");
        Assert.Equal(2, code);
        Assert.Contains("--n-fft", err); Assert.Contains("511", err);
        Assert.Contains("--hop", err); Assert.Contains("--n-mfcc", err);
        (code, err) = Run("features", "mel", "--input", wav, "--out", wav + ".csv", "--mel-scale", "bark", "--f-max", "9000");
        Assert.Equal(2, code);
        Assert.Contains("--mel-scale", err);
        (code, err) = Run("features", "mel", "--input", wav, "--out", wav + ".csv", "--f-max", "9000");
        Assert.Equal(2, code);
        Assert.Contains("--f-max", err); Assert.Contains("8000", err);
        (code, err) = Run("features", "mfcc", "--input", wav + ".missing", "--out", wav + ".csv");
        Assert.Equal(2, code);
        Assert.Contains("not found", err);
    }

    [Fact]
    public void Batch_writes_one_csv_per_clip_and_reuses_the_cache()
    {
        var a = Wav(1.0); var b = Wav(2.0);
        var dir = Path.GetDirectoryName(a)!;
        var list = Path.Combine(dir, "clips.csv");
        File.WriteAllLines(list, ["clip_id,path", $"a,{a}", $"b,{b}"]);
        var outDir = Path.Combine(dir, "out"); var cache = Path.Combine(dir, "cache");
        var (code, err) = Run("features", "batch", "--list", list, "--out-dir", outDir, "--kind", "mfcc", "--cache", cache);
        Assert.True(code == 0, err);
        Assert.Equal(1 + 1 + 16000 / 160, File.ReadAllLines(Path.Combine(outDir, "a.csv")).Length);
        Assert.Equal(1 + 1 + 32000 / 160, File.ReadAllLines(Path.Combine(outDir, "b.csv")).Length);
        Assert.Contains("0 from cache", err);
        (code, err) = Run("features", "batch", "--list", list, "--out-dir", outDir, "--kind", "mfcc", "--cache", cache);
        Assert.Equal(0, code);
        Assert.Contains("2 from cache", err);
        File.AppendAllLines(list, ["a,dup.wav"]);
        (code, err) = Run("features", "batch", "--list", list, "--out-dir", outDir);
        Assert.Equal(2, code);
        Assert.Contains("duplicate clip id 'a'", err);
    }
}
