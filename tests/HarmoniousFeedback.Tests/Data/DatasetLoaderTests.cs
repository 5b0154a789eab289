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

public class VgmidiDatasetTests
{
    [SharedDataFact]
    public void Loads_204_phrases_with_quadrants_from_signs_and_piece_groups()
    {
        var ds = VgmidiDataset.Load(TestPaths.Shared("datasets", "vgmidi"));
        Assert.Equal(204, ds.Clips.Count);
        // Sign counts of vgmidi_labelled.csv: (+,+) 76, (−,+) 39, (−,−) 27, (+,−) 62.
        Assert.Equal(new Dictionary<string, int> { ["Q1"] = 76, ["Q2"] = 39, ["Q3"] = 27, ["Q4"] = 62 }, ds.ClassCounts());
        Assert.Equal(200, ds.Clips.Select(c => c.GroupId).Distinct().Count());
        Assert.All(ds.Clips, c => Assert.True(File.Exists(c.MidiPath), c.MidiPath));
        // Two phrases of one piece (id 8016, GoldenEye 007 / Caverns) are two clips in one group.
        Assert.Equal(["vgmidi_8016_0", "vgmidi_8016_1"], ds.Clips.Where(x => x.GroupId == "GoldenEye 007/Caverns").Select(x => x.Id));
        var c = ds.Clips.Single(x => x.Id == "vgmidi_8073_0"); // Boggys Igloo Sad: valence 1, arousal −1
        Assert.Equal(("Q4", "Banjo-Kazooie/Boggys Igloo Sad", 1.0, -1.0), (c.Label, c.GroupId, c.Valence!.Value, c.Arousal!.Value));
    }

    [Theory]
    [InlineData(1, 1, "Q1")]
    [InlineData(-1, 1, "Q2")]
    [InlineData(-1, -1, "Q3")]
    [InlineData(1, -1, "Q4")]
    public void Quadrants_follow_Russell(double v, double a, string q) => Assert.Equal(q, VgmidiDataset.Quadrant(v, a));
}

public class FolderDatasetTests
{
    private static string MakeFolder(string csv)
    {
        var dir = TestPaths.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "pieces"));
        File.WriteAllBytes(Path.Combine(dir, "pieces", "a b.mid"), [0]);
        File.WriteAllBytes(Path.Combine(dir, "c.wav"), HarmoniousFeedback.Audio.WavWriter.ToBytes(new HarmoniousFeedback.Audio.AudioClip(new float[160], 16000)));
        File.WriteAllText(Path.Combine(dir, "clips.csv"), csv);
        return dir;
    }

    [Fact]
    public void Columns_in_any_order_with_optional_fields_and_quoted_text()
    {
        var dir = MakeFolder("label,text,path,Arousal,valence,group,split\nhappy,\"bright, fast\",pieces/a b.mid,0.5,0.25,s1,train\nsad,,c.wav,,,,test\n");
        var ds = FolderDataset.Load(dir, "mine");
        Assert.Equal(["happy", "sad"], ds.ClassNames);
        var a = ds.Clips.Single(c => c.Id == "pieces__a_b");
        Assert.Equal(("happy", "s1", "bright, fast", 0.25, 0.5, Split.Train), (a.Label, a.GroupId, a.Text, a.Valence!.Value, a.Arousal!.Value, a.Split!.Value));
        Assert.NotNull(a.MidiPath);
        Assert.Null(a.AudioPath);
        var c = ds.Clips.Single(x => x.Id == "c");
        Assert.Equal(("c", Split.Test), (c.GroupId, c.Split!.Value)); // no group → own group
        Assert.NotNull(c.AudioPath);
        Assert.Null(c.Valence);
    }

    [Fact]
    public void Missing_required_column_names_the_file_and_column()
    {
        var dir = MakeFolder("path,group\nc.wav,g\n");
        var e = Assert.Throws<DatasetException>(() => FolderDataset.Load(dir));
        Assert.Contains(Path.Combine(dir, "clips.csv"), e.Message);
        Assert.Contains("'label'", e.Message);
    }

    [Theory]
    [InlineData("path,label\nmissing.wav,x\n", "file not found")]
    [InlineData("path,label\nc.wav,x\nc.wav,y\n", "more than once")]
    [InlineData("path,label,valence\nc.wav,x,high\n", "'valence' = 'high' is not a number")]
    [InlineData("path,label\nclips.csv,x\n", "has extension '.csv'; supported: .wav, .flac")]
    [InlineData("path,label,split\nc.wav,x,dev\n", "must be train, val or test")]
    [InlineData("path,label\n\"c.wav,x\n", "unterminated quoted field")]
    public void Bad_rows_are_reported_with_the_problem(string csv, string expected)
    {
        var e = Assert.Throws<DatasetException>(() => FolderDataset.Load(MakeFolder(csv)));
        Assert.Contains(expected, e.Message);
    }
}
