using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

/// <summary>
/// The path mistakes the features command had, in the other commands: a folder given for a file, a file for a folder,
/// bad options — each refused with one line and exit 2 before any work.
/// </summary>
public class CommandPathTests
{
    private static void AssertOneLine(Hfb.Result r, string expected)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.StdErr);
        Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Features_batch_refuses_a_file_as_out_dir_and_a_folder_as_list_before_decoding()
    {
        var dir = Hfb.TempDir();
        var file = Path.Combine(dir, "file.txt");
        File.WriteAllText(file, "x");
        var list = Path.Combine(dir, "clips.csv");
        File.WriteAllLines(list, ["clip_id,path", "a,missing.wav"]); // would fail only when decoded
        AssertOneLine(Hfb.Run("features", "batch", "--list", list, "--out-dir", file), "is a file; the --out-dir folder must be a folder");
        AssertOneLine(Hfb.Run("features", "batch", "--list", dir, "--out-dir", Path.Combine(dir, "o")), "--list '" + dir + "' is a folder");
        var r = Hfb.Run("features", "batch", "--list", list, "--out-dir", Path.Combine(dir, "o"), "--kind", "chroma", "--threads", "0");
        AssertOneLine(r, "--kind = 'chroma' must be one of mfcc, lld");
        Assert.Contains("--threads = 0 must be >= 1", r.StdErr);
    }

    [FfmpegFact]
    public void Features_batch_reads_compressed_clips()
    {
        var dir = Hfb.TempDir();
        var x = new float[16000];
        for (int t = 0; t < x.Length; t++) x[t] = (float)(0.3 * Math.Sin(2 * Math.PI * 330 * t / 16000));
        var wav = Path.Combine(dir, "a.wav");
        Audio.WavWriter.Write(wav, new Audio.AudioClip(x, 16000));
        Ffmpeg.Convert(wav, Path.Combine(dir, "a.flac"));
        var list = Path.Combine(dir, "clips.csv");
        File.WriteAllLines(list, ["clip_id,path", "a,a.flac"]);
        var r = Hfb.Run("features", "batch", "--list", list, "--out-dir", Path.Combine(dir, "out"), "--kind", "mfcc");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(1 + 1 + 16000 / 160, File.ReadAllLines(Path.Combine(dir, "out", "a.csv")).Length);
    }

    [Fact]
    public void Data_prepare_refuses_a_file_as_out_and_bad_threads_before_generating_the_corpus()
    {
        var dir = Hfb.TempDir();
        var file = Path.Combine(dir, "file.txt");
        File.WriteAllText(file, "x");
        AssertOneLine(Hfb.Run("data", "prepare", "synthetic", "--out", file, "--clips", "8"), "is a file; the --out folder must be a folder");
        var r = Hfb.Run("data", "prepare", "synthetic", "--out", Path.Combine(dir, "d"), "--threads", "0");
        AssertOneLine(r, "--threads (Threads) = 0 must be in [1, 256]");
        Assert.DoesNotContain("PrepareOptions", r.StdErr);
        Assert.False(Directory.Exists(Path.Combine(dir, "d")));
        AssertOneLine(Hfb.Run("data", "prepare", "feedback", "--out", file), "is a file; the --out folder must be a folder");
        AssertOneLine(Hfb.Run("data", "fetch", "emopia", "--out", file), "is a file; the --out folder must be a folder");
        AssertOneLine(Hfb.Run("data", "fetch", "emopia", "--out", Path.Combine(dir, "e"), "--archive", dir), "--archive '" + dir + "' is a folder");
    }

    [Fact]
    public void Baseline_notebook_and_kernel_commands_say_when_a_path_is_a_folder_or_a_file()
    {
        var dir = Hfb.TempDir();
        var csv = Path.Combine(dir, "t.csv");
        File.WriteAllLines(csv, ["label,a", "x,1", "y,2"]);
        AssertOneLine(Hfb.Run("baseline", "svm", "--train", dir, "--test", csv), "--train '" + dir + "' is a folder");
        AssertOneLine(Hfb.Run("notebook", "convert", dir), "is a folder; give the .dib file");
        var dib = Path.Combine(dir, "n.dib");
        File.WriteAllText(dib, "#!csharp\n1+1\n");
        AssertOneLine(Hfb.Run("notebook", "convert", dib, "--out", Path.Combine(csv, "n.ipynb")), $"{csv} is a file, not a folder");
        AssertOneLine(Hfb.Run("kernel", "install", "--prefix", csv), "is a file; the --prefix folder must be a folder");
    }
}
