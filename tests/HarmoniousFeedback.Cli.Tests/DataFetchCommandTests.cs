using System.IO.Compression;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Midi;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class DataFetchCommandTests
{
    /// <summary>A tiny archive in EMOPIA's layout (top-level folder EMOPIA_1.0/) with two clips of one song.</summary>
    private static string MakeArchive(bool withSplit = true)
    {
        var zipPath = Path.Combine(Hfb.TempDir(), "EMOPIA_1.0.zip");
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        void Add(string name, byte[] content)
        {
            using var s = zip.CreateEntry("EMOPIA_1.0/" + name).Open();
            s.Write(content);
        }
        void AddText(string name, string text) => Add(name, System.Text.Encoding.UTF8.GetBytes(text));
        var midi = MidiWriter.ToBytes(new MidiScore
        {
            Notes = [new MidiNote(0, 0.5, 60, 80, 0, 0.5)], Tempos = [], TimeSignatures = [], Controls = [],
        });
        Add("midis/Q1_abcdefghijk_0.mid", midi);
        Add("midis/Q3_abcdefghijk_1.mid", midi);
        AddText("label.csv", "ID,4Q,annotator\nQ1_abcdefghijk_0,1,A\nQ3_abcdefghijk_1,3,A\n");
        AddText("metadata_by_song.csv", "songID,num_Q1,num_Q2,num_Q3,num_Q4,DominantQ\nabcdefghijk,1,0,1,0,1\n");
        if (withSplit)
        {
            AddText("split/train_clip.csv", ",clip_name\n0,Q1_abcdefghijk_0.mid\n1,Q3_abcdefghijk_1.mid\n");
            AddText("split/val_clip.csv", ",clip_name\n");
            AddText("split/test_clip.csv", ",clip_name\n");
        }
        return zipPath;
    }

    [Fact]
    public void Archive_is_verified_and_unpacked_to_the_emopia_layout_once()
    {
        var outDir = Path.Combine(Hfb.TempDir(), "emopia");
        var r = Hfb.Run("data", "fetch", "emopia", "--archive", MakeArchive(), "--out", outDir);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("installed 2 clips", r.StdOut);
        Assert.True(File.Exists(Path.Combine(outDir, "midis", "Q1_abcdefghijk_0.mid")));
        var ds = EmopiaDataset.Load(outDir);
        Assert.Equal(["Q1", "Q3"], ds.Clips.Select(c => c.Label));
        Assert.All(ds.Clips, c => Assert.Equal(Split.Train, c.Split));

        var again = Hfb.Run("data", "fetch", "emopia", "--archive", MakeArchive(), "--out", outDir);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already present", again.StdOut);
    }

    [Fact]
    public void Archive_without_the_split_folder_is_rejected_naming_what_is_missing()
    {
        var zip = MakeArchive(withSplit: false);
        var outDir = Path.Combine(Hfb.TempDir(), "emopia");
        var r = Hfb.Run("data", "fetch", "emopia", "--archive", zip, "--out", outDir);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(zip, r.StdErr);
        Assert.Contains("EMOPIA_1.0/split/train_clip.csv", r.StdErr);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Download_without_network_fails_clearly_and_points_to_archive()
    {
        // Port 9 (discard) on loopback: connection refused at once, as with no internet access.
        Environment.SetEnvironmentVariable("HFB_ZENODO_RECORD_URL", "http://127.0.0.1:9/api/records/5090631");
        try
        {
            var r = Hfb.Run("data", "fetch", "emopia", "--out", Path.Combine(Hfb.TempDir(), "emopia"));
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("cannot download EMOPIA from http://127.0.0.1:9/api/records/5090631", r.StdErr);
            Assert.Contains("--archive", r.StdErr);
        }
        finally { Environment.SetEnvironmentVariable("HFB_ZENODO_RECORD_URL", null); }
    }

    [Fact]
    public void Unknown_dataset_for_fetch_is_rejected()
    {
        var r = Hfb.Run("data", "fetch", "maestro");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown dataset 'maestro'", r.StdErr);
    }
}
