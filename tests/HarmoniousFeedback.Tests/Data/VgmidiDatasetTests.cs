using HarmoniousFeedback.Data;
using Xunit;

namespace HarmoniousFeedback.Tests.Data;

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
