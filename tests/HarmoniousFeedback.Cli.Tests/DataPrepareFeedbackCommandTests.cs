using HarmoniousFeedback.Data.TeachingFeedback;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class DataPrepareFeedbackCommandTests
{
    [Fact]
    public void Feedback_prepare_on_synthetic_pieces_writes_manifest_and_labels_and_the_second_run_is_up_to_date()
    {
        var dir = Hfb.TempDir();
        var first = Hfb.Run("data", "prepare", "feedback", "--source", "synthetic", "--out", dir, "--max-pieces", "4", "--renditions", "3", "--threads", "2");
        Assert.True(first.ExitCode == 0, first.StdErr);
        // 4 references + 12 renditions, each rendered by builtin and builtin-upright (the synthetic default).
        Assert.Contains("4 references, 12 renditions × 2 renderers = 24 clips", first.StdOut);
        Assert.Contains("rendered 32", first.StdOut);
        var fb = FeedbackCorpus.Load(dir);
        Assert.Equal(["builtin", "builtin-upright"], fb.Renderers);
        Assert.Equal(24, fb.Dataset.Clips.Count);
        Assert.Equal(4, fb.Renditions.Count(r => r.Clean));

        var second = Hfb.Run("data", "prepare", "feedback", "--out", dir, "--max-pieces", "4", "--renditions", "3");
        Assert.True(second.ExitCode == 0, second.StdErr);
        Assert.Contains("feedback: up to date", second.StdOut);
        Assert.Equal(fb.CorpusHash, FeedbackCorpus.Load(dir).CorpusHash);
    }

    [Fact]
    public void Feedback_prepare_with_an_unknown_renderer_fails_naming_it()
    {
        var r = Hfb.Run("data", "prepare", "feedback", "--out", Hfb.TempDir(), "--max-pieces", "4", "--renderers", "builtin,timidity");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("renderer 'timidity' is not one of builtin, builtin-upright, builtin-varied, fluidsynth", r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'), l => l.StartsWith("error:"));
    }

    [Fact]
    public void Feedback_prepare_with_a_folder_that_is_no_symbolic_dataset_fails_naming_the_folder()
    {
        var src = Hfb.TempDir();
        var r = Hfb.Run("data", "prepare", "feedback", "--source", src, "--out", Hfb.TempDir(), "--renderers", "builtin,builtin-upright");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(src, r.StdErr);
        Assert.Contains("neither an EMOPIA folder", r.StdErr);
        var missing = Hfb.Run("data", "prepare", "feedback", "--source", "/nonexistent/feedback-source", "--out", Hfb.TempDir());
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("/nonexistent/feedback-source", missing.StdErr);
    }

    [Fact]
    public void Feedback_prepare_rejects_an_invalid_rendition_count_naming_the_value()
    {
        var r = Hfb.Run("data", "prepare", "feedback", "--out", Hfb.TempDir(), "--renditions", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--renditions (Renditions) = 0", r.StdErr); // the flag the user typed, and the value
    }

    [Fact]
    public void Options_of_the_other_kind_are_refused_rather_than_ignored()
    {
        var r = Hfb.Run("data", "prepare", "feedback", "--out", Hfb.TempDir(), "--renderer", "fluidsynth");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--renderer does not apply to `data prepare feedback`", r.StdErr);
        var s = Hfb.Run("data", "prepare", "synthetic", "--out", Hfb.TempDir(), "--clips", "4", "--renditions", "3");
        Assert.Equal(2, s.ExitCode);
        Assert.Contains("--renditions applies only to `data prepare feedback`", s.StdErr);
    }
}
