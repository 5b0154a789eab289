using HarmoniousFeedback.Data;
using Xunit;

namespace HarmoniousFeedback.Tests.Data;

public class EmopiaDatasetTests
{
    private static string Root => TestPaths.Shared("datasets", "emopia");

    [SharedDataFact]
    public void Loads_all_clips_with_official_split_song_groups_and_labels_matching_file_names()
    {
        var ds = EmopiaDataset.Load(Root);
        Assert.Equal(1078, ds.Clips.Count);
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], ds.ClassNames);
        // Official clip-level split sizes (split/{train,val,test}_clip.csv row counts).
        Assert.Equal(876, ds.InSplit(Split.Train).Count);
        Assert.Equal(114, ds.InSplit(Split.Validation).Count);
        Assert.Equal(88, ds.InSplit(Split.Test).Count);
        Assert.Equal(387, ds.Clips.Select(c => c.GroupId).Distinct().Count()); // metadata_by_song.csv rows
        Assert.All(ds.Clips, c =>
        {
            Assert.StartsWith(c.Label + "_", c.Id);
            Assert.True(File.Exists(c.MidiPath));
            Assert.Null(c.AudioPath);
        });
        // The split is song-disjoint.
        Assert.All(ds.Clips.GroupBy(c => c.GroupId), g => Assert.Single(g.Select(c => c.Split).Distinct()));
        var clip = ds.Clips.Single(c => c.Id == "Q1_0vLPYiPN7qY_0");
        Assert.Equal("0vLPYiPN7qY", clip.GroupId);
        Assert.Equal(Split.Validation, clip.Split);
        // YouTube ids with underscores keep them.
        Assert.Equal("_8v0MFBZoco", ds.Clips.Single(c => c.Id == "Q1__8v0MFBZoco_0").GroupId);
    }

    [SharedDataFact]
    public void Text_comes_from_the_song_and_never_carries_the_clip_label()
    {
        var ds = EmopiaDataset.Load(Root);
        Assert.Equal(1078 - ds.Clips.Count(c => c.Text is null), ds.Clips.Count(c => c.Text is not null));
        Assert.True(ds.Clips.Count(c => c.Text is not null) > 900);
        Assert.StartsWith("\"Fighting Spirit\" - Inspirational Piano Music\nfighting spirit, piano,", ds.Clips.First(c => c.GroupId == "--2B4d4lQhs").Text);
        // Per song, identical text for clips of different quadrants: the text cannot encode the label.
        var mixed = ds.Clips.Where(c => c.Text is not null).GroupBy(c => c.GroupId).Where(g => g.Select(c => c.Label).Distinct().Count() > 1).ToArray();
        Assert.NotEmpty(mixed);
        Assert.All(mixed, g => Assert.Single(g.Select(c => c.Text).Distinct()));
        // No text or group contains a clip id (which holds the label) or a "Q<n>_" prefix.
        Assert.All(ds.Clips, c =>
        {
            Assert.DoesNotContain(c.Label + "_", c.GroupId);
            if (c.Text is not null) Assert.DoesNotContain(c.Id, c.Text);
        });
    }

    [Fact]
    public void Missing_folder_and_label_disagreement_are_reported_with_the_file()
    {
        var e = Assert.Throws<DatasetException>(() => EmopiaDataset.Load("/nonexistent/emopia"));
        Assert.Contains("/nonexistent/emopia", e.Message);

        var dir = TestPaths.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "midis"));
        File.WriteAllBytes(Path.Combine(dir, "midis", "Q1_abc_0.mid"), [0]);
        File.WriteAllText(Path.Combine(dir, "label.csv"), "ID,4Q,annotator\nQ1_abc_0,3,A\n");
        var e2 = Assert.Throws<DatasetException>(() => EmopiaDataset.Load(dir));
        Assert.Contains("label.csv: line 2", e2.Message);
        Assert.Contains("4Q says 3", e2.Message);

        File.WriteAllText(Path.Combine(dir, "label.csv"), "ID,annotator\nQ1_abc_0,A\n");
        var e3 = Assert.Throws<DatasetException>(() => EmopiaDataset.Load(dir));
        Assert.Contains("required column '4Q' is missing", e3.Message);
    }
}
