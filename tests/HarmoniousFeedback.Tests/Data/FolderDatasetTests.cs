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
    public void Without_clips_csv_each_subfolder_is_a_label_and_its_audio_and_midi_files_at_any_depth_are_its_clips()
    {
        var dir = TestPaths.TempDir();
        var wav = HarmoniousFeedback.Audio.WavWriter.ToBytes(new HarmoniousFeedback.Audio.AudioClip(new float[160], 16000));
        void Put(string rel, byte[] bytes) { Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, rel))!); File.WriteAllBytes(Path.Combine(dir, rel), bytes); }
        Put("sad/b.wav", wav);
        Put("happy/z.MP3", [1]);
        Put("happy/live/a.wav", wav);
        Put("happy/score.mid", [0]);
        Put("happy/notes.txt", [0]);          // not audio or MIDI: skipped
        Put("happy/.hidden/x.wav", wav);      // hidden folder: skipped
        Put(".git/y.wav", wav);               // hidden label folder: skipped
        Put("loose.wav", wav);                // no label folder: skipped
        var ds = FolderDataset.Load(dir);
        Assert.Equal(["happy__live__a", "happy__score", "happy__z", "sad__b"], ds.Clips.Select(c => c.Id));
        Assert.Equal(["happy", "happy", "happy", "sad"], ds.Clips.Select(c => c.Label));
        Assert.All(ds.Clips, c => Assert.Equal(c.Id, c.GroupId));
        var score = ds.Clips.Single(c => c.Id == "happy__score");
        Assert.Equal((null, Path.Combine(dir, "happy", "score.mid")), (score.AudioPath, score.MidiPath));
    }

    [Fact]
    public void A_folder_without_clips_csv_or_label_subfolders_of_clips_says_which_layouts_are_accepted()
    {
        var dir = TestPaths.TempDir();
        File.WriteAllBytes(Path.Combine(dir, "loose.wav"), [0]);
        Directory.CreateDirectory(Path.Combine(dir, "empty"));
        var e = Assert.Throws<DatasetException>(() => FolderDataset.Load(dir));
        Assert.Contains("no clips.csv and no audio or MIDI files in label subfolders", e.Message);
        Assert.Contains("put each label's files in a subfolder named after the label", e.Message);
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
