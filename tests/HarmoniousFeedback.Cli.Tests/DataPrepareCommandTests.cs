using HarmoniousFeedback.Data;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class DataPrepareCommandTests
{
    [Fact]
    public void Synthetic_prepare_writes_a_balanced_manifest_and_the_second_run_is_up_to_date()
    {
        var dir = Hfb.TempDir();
        var first = Hfb.Run("data", "prepare", "synthetic", "--out", dir, "--clips", "8", "--seed", "3", "--threads", "2");
        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.Contains("rendered 8", first.StdOut);
        Assert.Contains("synthetic: 8/8 (100%)", first.StdErr); // plain progress line (stderr is not a terminal here)
        var m = Manifest.Read(dir);
        Assert.All(m.ClassCounts.Values, n => Assert.Equal(2, n));
        Assert.Equal(8, Directory.GetFiles(Path.Combine(dir, "audio"), "*.wav").Length);
        Assert.Equal(8, Directory.GetFiles(Path.Combine(dir, "midi"), "*.mid").Length);

        var second = Hfb.Run("data", "prepare", "synthetic", "--out", dir, "--clips", "8", "--seed", "3");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("up to date", second.StdOut);
        Assert.Equal(m.ManifestHash, Manifest.Read(dir).ManifestHash);
    }

    [Fact]
    public void Unknown_kind_fails_naming_the_kind()
    {
        var r = Hfb.Run("data", "prepare", "midi", "--out", Hfb.TempDir());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown dataset kind 'midi'", r.StdErr);
    }

    [Fact]
    public void Missing_dataset_folder_fails_naming_the_folder()
    {
        var r = Hfb.Run("data", "prepare", "emopia", "--source", "/nonexistent/emopia-folder", "--out", Hfb.TempDir());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/nonexistent/emopia-folder", r.StdErr);
        var r2 = Hfb.Run("data", "prepare", "vgmidi", "--out", Hfb.TempDir());
        Assert.Equal(2, r2.ExitCode);
        Assert.Contains("--source", r2.StdErr);
    }

    [Fact]
    public void Folder_csv_with_a_missing_column_fails_naming_file_and_column()
    {
        var src = Hfb.TempDir();
        File.WriteAllText(Path.Combine(src, "clips.csv"), "path,group\na.wav,g\n");
        var r = Hfb.Run("data", "prepare", "folder", "--source", src, "--out", Hfb.TempDir());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(Path.Combine(src, "clips.csv"), r.StdErr);
        Assert.Contains("'label'", r.StdErr);
    }

    [Fact]
    public void Bad_renderer_and_missing_soundfont_fail_with_their_names()
    {
        var r = Hfb.Run("data", "prepare", "synthetic", "--out", Hfb.TempDir(), "--clips", "4", "--renderer", "timidity");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--renderer = 'timidity'", r.StdErr);
        var r2 = Hfb.Run("data", "prepare", "synthetic", "--out", Hfb.TempDir(), "--clips", "4", "--renderer", "fluidsynth", "--soundfont", "/nonexistent/piano.sf2");
        Assert.Equal(2, r2.ExitCode);
        Assert.Contains("/nonexistent/piano.sf2", r2.StdErr);
    }
}
