using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

public sealed class PerformanceCheckTests
{
    [Fact]
    public void Peak_level_is_twenty_log10_of_the_largest_magnitude_even_when_that_sample_is_negative()
    {
        // the largest magnitude is the negative −0.5: 20·log10(0.5) = −6.0206 dBFS
        Assert.Equal(20 * Math.Log10(0.5), PerformanceCheck.PeakDbfs([0.1f, -0.5f, 0.25f]), 1e-9);
        Assert.Equal(0, PerformanceCheck.PeakDbfs([1f, -1f]), 1e-12);
        Assert.Equal(double.NegativeInfinity, PerformanceCheck.PeakDbfs(new float[100]));
        Assert.Equal(double.NegativeInfinity, PerformanceCheck.PeakDbfs([]));
    }

    [Fact]
    public void A_clip_peaking_below_minus_60_dbfs_is_silent_and_refused_with_its_level_and_name()
    {
        var quiet = new AudioClip(Enumerable.Range(0, 16000).Select(i => (float)(5e-4 * Math.Sin(i * 0.1))).ToArray(), 16000, "quiet.wav");  // ≈ −66 dBFS
        var soft = new AudioClip(Enumerable.Range(0, 16000).Select(i => (float)(5e-3 * Math.Sin(i * 0.1))).ToArray(), 16000, "soft.wav");    // ≈ −46 dBFS
        Assert.True(PerformanceCheck.IsSilent(quiet.Channels[0]));
        Assert.False(PerformanceCheck.IsSilent(soft.Channels[0]));
        var e = Assert.Throws<AudioFormatException>(() => PerformanceCheck.ThrowIfSilent(quiet));
        Assert.Contains("quiet.wav", e.Message);
        Assert.Contains("-66.0 dBFS", e.Message);
        PerformanceCheck.ThrowIfSilent(soft);
        // a stereo clip is silent only when every channel is
        PerformanceCheck.ThrowIfSilent(new AudioClip([quiet.Channels[0], soft.Channels[0]], 16000));
    }

    [Fact]
    public void A_report_warns_in_its_text_and_json_when_the_recording_does_not_follow_the_score()
    {
        var report = new FeedbackReport(new Dictionary<string, double> { ["pitch"] = 0.9 }, "none", 0.8, [], new Dictionary<string, double>(), "Well played.");
        var matched = report.WithScoreMatch(new ScoreMatch(0.05, PerformanceCheck.DefaultMaxMatchCost(PitchProfile.Chroma)));
        var other = report.WithScoreMatch(new ScoreMatch(0.53, PerformanceCheck.DefaultMaxMatchCost(PitchProfile.Chroma)));
        Assert.Equal("Well played.", matched.Text);
        Assert.True(matched.ToJson()["reference"]!["matched"]!.GetValue<bool>());
        Assert.StartsWith("Warning: the recording does not seem to follow the score (mean alignment cost 0.53 > 0.25)", other.Text);
        Assert.EndsWith("Well played.", other.Text);
        Assert.False(other.ToJson()["reference"]!["matched"]!.GetValue<bool>());
        Assert.Equal(0.53, other.ToJson()["reference"]!["cost"]!.GetValue<double>());
        Assert.Contains("does NOT follow the score", other.ToText());
        Assert.Null(report.ToJson()["reference"]);   // not checked: no field
        Assert.False(new ScoreMatch(double.NaN, 0.25).Matched);
    }

    [Fact]
    public void A_cheap_path_that_aligns_no_better_with_the_score_than_with_its_transpositions_is_not_a_match()
    {
        var report = new FeedbackReport(new Dictionary<string, double> { ["pitch"] = 0.9 }, "none", 0.8, [], new Dictionary<string, double>(), "Well played.");
        double maxCost = PerformanceCheck.DefaultMaxMatchCost(PitchProfile.Chroma), minContrast = PerformanceCheck.DefaultMinContrast(PitchProfile.Chroma);
        var noise = report.WithScoreMatch(new ScoreMatch(0.14, maxCost, 0.01, minContrast));
        Assert.False(noise.Reference!.Matched);
        Assert.StartsWith("Warning: the recording does not seem to follow the score (it aligns hardly better with the score than with the score transposed: contrast 0.01 < 0.30)", noise.Text);
        Assert.Equal(0.01, noise.ToJson()["reference"]!["contrast"]!.GetValue<double>());
        Assert.Contains("transposition contrast 0.01 (does NOT follow the score; a performance of the score is ≤ 0.25 and ≥ 0.30)", noise.ToText());
        var played = report.WithScoreMatch(new ScoreMatch(0.06, maxCost, 0.69, minContrast));
        Assert.True(played.Reference!.Matched);
        Assert.Equal("Well played.", played.Text);
        // the cost is checked first: a costly path names the cost
        Assert.Contains("mean alignment cost 0.40 > 0.25", report.WithScoreMatch(new ScoreMatch(0.4, maxCost, 0.9, minContrast)).Text);
        Assert.False(new ScoreMatch(0.1, maxCost, double.NaN, minContrast).Matched);
    }
}
