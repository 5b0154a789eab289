using HarmoniousFeedback.Data;
using Xunit;

namespace HarmoniousFeedback.Tests.Data;

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
