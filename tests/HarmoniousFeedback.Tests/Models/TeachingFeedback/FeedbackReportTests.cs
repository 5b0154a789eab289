using HarmoniousFeedback.Data.TeachingFeedback;
using HarmoniousFeedback.Models.TeachingFeedback;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

public class FeedbackReportTests
{
    private static HfnPrediction Prediction(float[] emotion) => new(
        IssueProbabilities: [0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.4f], Scores: [1f, 1f, 1f, 1f, 1f, 1f], Emotion: emotion, Factors: null,
        FrameDeficits: new float[6], FrameStarts: [0.0], FrameEnds: [0.1], Attention: null);

    [Fact]
    public void Emotional_estimates_outside_their_targets_range_are_reported_at_the_nearest_value_they_can_take()
    {
        // order: intended_valence, intended_arousal, expressiveness, tone, sentiment, engagement
        var p = Prediction([-1.3f, 0.5f, 1.2f, 1.05f, -0.2f, 1.1f]);
        var report = FeedbackReport.From(p);
        Assert.Equal(-1.0, report.Emotion["intended_valence"]);
        Assert.Equal(0.5, report.Emotion["intended_arousal"], 1e-6);
        Assert.Equal(1.0, report.Emotion["expressiveness"]);
        Assert.Equal(1.0, report.Emotion["tone"]);
        Assert.Equal(-0.2, report.Emotion["sentiment"], 1e-6);
        Assert.Equal(1.0, report.Emotion["engagement"]);
        Assert.Equal(0.0, FeedbackReport.From(Prediction([0f, 0f, -0.3f, 0f, 0f, -0.01f])).Emotion["expressiveness"]);
        Assert.Equal(1.1f, p.Emotion[5]); // the raw output is kept in the prediction
    }

    [Fact]
    public void Issues_from_the_notes_replace_the_frames_ones_in_the_json_and_the_text()
    {
        var report = FeedbackReport.From(Prediction([0f, 0f, 0.5f, 0f, 0f, 0.5f]));
        Assert.Equal("frames", report.IssuesFrom);
        Assert.Equal("frames", report.ToJson()["issues_from"]!.GetValue<string>());
        var notes = report.WithIssues([new FeedbackSpan(5, 1.25, 2.5, 0.4)], "notes");
        Assert.Equal("notes", notes.ToJson()["issues_from"]!.GetValue<string>());
        var issue = Assert.Single(notes.ToJson()["issues"]!.AsArray())!;
        Assert.Equal("completeness", issue["dimension"]!.GetValue<string>());
        Assert.Equal(1.25, issue["start"]!.GetValue<double>());
        Assert.Contains("At 1.3–2.5 s: completeness (severity 0.40).", notes.Text);
        Assert.DoesNotContain("completeness", report.Text);
        Assert.Contains("issues (from the notes):", notes.ToText());
        Assert.Throws<ArgumentException>(() => report.WithIssues([], " "));
    }

    [Fact]
    public void Every_emotional_target_has_a_range_and_an_unknown_name_is_refused()
    {
        foreach (var name in EmotionTargets.Names)
        {
            var (min, max) = EmotionTargets.RangeOf(name);
            Assert.True(min < max, name);
        }
        var e = Assert.Throws<OptionsValidationException>(() => EmotionTargets.RangeOf("joy"));
        Assert.Contains("'joy' is not one of intended_valence", e.Message);
    }
}
