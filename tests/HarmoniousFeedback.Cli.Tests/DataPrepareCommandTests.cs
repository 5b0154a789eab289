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
    public void Folder_with_a_nan_take_or_an_endless_score_fails_naming_the_file_instead_of_copying_or_crashing()
    {
        // Before: a float WAV with a NaN sample was copied into the prepared folder (exit 0), and a MIDI file holding a note
        // for the largest delta time (≈ 77.7 h) crashed the render with "Out of memory." (exit 134).
        var nanSource = Hfb.TempDir();
        Directory.CreateDirectory(Path.Combine(nanSource, "happy"));
        var take = Path.Combine(nanSource, "happy", "take.wav");
        var x = new float[1600];
        x[10] = float.NaN;
        HarmoniousFeedback.Audio.WavWriter.Write(take, new HarmoniousFeedback.Audio.AudioClip(x, 16000), HarmoniousFeedback.Audio.WavEncoding.Float32);
        var endlessSource = Hfb.TempDir();
        Directory.CreateDirectory(Path.Combine(endlessSource, "sad"));
        var endless = Path.Combine(endlessSource, "sad", "endless.mid");
        byte[] track = [0x00, 0x90, 60, 100, 0xFF, 0xFF, 0xFF, 0x7F, 0x80, 60, 0, 0x00, 0xFF, 0x2F, 0x00];
        File.WriteAllBytes(endless, [.. "MThd"u8, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0, .. "MTrk"u8, 0, 0, 0, (byte)track.Length, .. track]);
        foreach (var (source, expected) in new[]
                 {
                     (nanSource, $"error: {take}: float sample 10 of channel 0 (at 0.000625 s) is NaN"),
                     (endlessSource, $"error: {endless}: the score lasts 27962"),
                 })
        {
            var r = Hfb.Run("data", "prepare", "folder", "--source", source, "--out", Hfb.TempDir(), "--threads", "1");
            Assert.True(r.ExitCode == 2, r.StdErr);
            Assert.Contains(expected, r.StdErr);
            Assert.DoesNotContain("   at ", r.StdErr);
        }
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
