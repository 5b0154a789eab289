using System.Text.Json.Nodes;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Data.TeachingFeedback;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class FeedbackCommandTests
{
    // One tiny model for the class: 4 pieces × 2 renditions × 2 renderers, a 2-block 4/8-channel encoder, 1 epoch.
    // It checks the command's plumbing and output format, not the model's accuracy.
    private static readonly Lazy<(string Model, string Data)> Trained = new(() =>
    {
        var root = Hfb.TempDir();
        string model = Path.Combine(root, "tiny.hfbckpt"), data = Path.Combine(root, "data");
        var r = Hfb.Run("feedback", "train", "--out", model, "--data", data, "--pieces", "4", "--renditions", "2", "--epochs", "1",
            "--channels", "4,8", "--iterations", "1", "--threads", "2");
        Assert.True(r.ExitCode == 0, r.StdErr);
        return (model, data);
    });

    private static (string Audio, string Score) AClip()
    {
        var fb = FeedbackDataset.Load(Directory.GetDirectories(Trained.Value.Data, "feedback-*").Single());
        var clip = fb.Dataset.Clips[0];
        return (clip.AudioPath!, clip.ReferenceMidiPath!);
    }

    [Fact]
    public void Feedback_json_has_the_six_dimensions_the_dominant_issue_the_issues_the_emotion_and_the_text()
    {
        var (audio, score) = AClip();
        var r = Hfb.Run("feedback", audio, "--reference", score, "--model", Trained.Value.Model, "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var json = JsonNode.Parse(r.StdOut)!.AsObject();
        var dims = json["dimensions"]!.AsObject();
        Assert.Equal(["pitch", "rhythm", "tempo", "dynamics", "articulation", "completeness"], dims.Select(kv => kv.Key));
        Assert.All(dims, kv => Assert.InRange(kv.Value!.GetValue<double>(), 0, 1)); // sigmoid outputs
        Assert.Contains(json["dominant_issue"]!.GetValue<string>(), new[] { "pitch", "rhythm", "tempo", "dynamics", "articulation", "completeness", "none" });
        foreach (var issue in json["issues"]!.AsArray())
        {
            Assert.True(issue!["end"]!.GetValue<double>() > issue["start"]!.GetValue<double>());
            Assert.InRange(issue["severity"]!.GetValue<double>(), 0.3, 1); // spans are runs of frame scores above 0.3
        }
        Assert.Equal(6, json["emotion"]!.AsObject().Count);
        Assert.False(string.IsNullOrWhiteSpace(json["text"]!.GetValue<string>()));

        var text = Hfb.Run("feedback", audio, "--score", score, "--model", Trained.Value.Model);
        Assert.True(text.ExitCode == 0, text.StdErr);
        Assert.Contains("dimension scores (1 = as the score asks):", text.StdOut);
        Assert.Contains($"dominant issue: {json["dominant_issue"]!.GetValue<string>()}", text.StdOut);
    }

    [Fact]
    public void Feedback_errors_are_one_line_with_exit_code_2()
    {
        var (audio, score) = AClip();
        var dir = Hfb.TempDir();
        string garbage = Path.Combine(dir, "garbage.mid"), slow = Path.Combine(dir, "22k.wav");
        File.WriteAllText(garbage, "not a midi file");
        WavWriter.Write(slow, new AudioClip(new float[22050], 22050));
        var cases = new (string[] Args, string Expected)[]
        {
            (["feedback", Path.Combine(dir, "missing.wav"), "--reference", score, "--model", Trained.Value.Model], "missing.wav"),
            (["feedback", audio, "--model", Trained.Value.Model], "pass the score with --reference"),
            (["feedback", audio, "--reference", garbage, "--model", Trained.Value.Model], "garbage.mid"),
            (["feedback", slow, "--reference", score, "--model", Trained.Value.Model], "22050 Hz but the model was trained at 16000 Hz"),
            (["feedback", audio, "--reference", score, "--model", garbage], "garbage.mid"),
        };
        foreach (var (args, expected) in cases)
        {
            var r = Hfb.Run(args);
            Assert.True(r.ExitCode == 2, $"{string.Join(' ', args)}: exit {r.ExitCode}, {r.StdErr}");
            Assert.Contains(expected, r.StdErr);
            Assert.Single(r.StdErr.Trim().Split('\n'));
        }
    }
}
