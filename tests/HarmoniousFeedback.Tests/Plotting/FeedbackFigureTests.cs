using System.Xml.Linq;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Plotting;
using Xunit;

namespace HarmoniousFeedback.Tests.Plotting;

public class FeedbackFigureTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // 200 frames × 16 mel bins at 10 ms starting at 5 s (a streamed window), output frames of 8 input frames; rhythm's
    // frame score is 0.8 on output frames 10–14 (≈ 5.8–6.2 s), everything else 0.1
    private static (HfnExample, HfnPrediction) Case(bool attention)
    {
        int t = 200, m = 16, p = 8, tOut = t / p;
        var times = Enumerable.Range(0, t).Select(i => 5 + 0.01 * i).ToArray();
        var x = new FeatureMatrix(Enumerable.Range(0, t * m).Select(i => (float)(i % m) / m).ToArray(), t, m, Enumerable.Range(0, m).Select(i => $"b{i}").ToArray(), times);
        var d = new float[tOut * 6];
        for (int j = 0; j < tOut; j++)
            for (int k = 0; k < 6; k++) d[j * 6 + k] = k == 1 && j is >= 10 and < 15 ? 0.8f : 0.1f;
        var (starts, ends) = HfnBatching.FrameSpans(5, 0.01, p, tOut);
        var a = attention ? Enumerable.Range(0, t * m).Select(i => 1f + 0.5f * MathF.Sin(i)).ToArray() : null;
        return (new HfnExample(x, null, null), new HfnPrediction(new float[7], new float[6], new float[6], null, d, starts, ends, a));
    }

    [Fact]
    public void Figure_shows_log_mel_attention_and_frame_scores_over_one_time_axis_with_the_issue_labelled()
    {
        var (e, p) = Case(attention: true);
        var issues = p.Issues();
        var rhythm = Assert.Single(issues);                     // the 0.8 run of rhythm, the only frames above θ = 0.3
        Assert.Equal(1, rhythm.Dimension);
        var stack = FeedbackFigure.Create(e, p, issues, "take 1");
        Assert.Equal(["Student log-mel X (normalised)", "Emotional attention A (1 = neutral)", "Per-frame issue scores d (0 = as the score asks)"], stack.Panels.Select(f => f.Title));
        var d = XDocument.Parse(stack.ToSvg());
        var texts = d.Descendants(Svg + "text").Select(t => t.Value).ToArray();
        Assert.Contains("rhythm 0.80", texts);                   // the span's label: dimension and severity
        Assert.Equal(2, d.Descendants(Svg + "image").Count());   // the two heatmaps, as rasters
        foreach (var dim in HarmoniousFeedbackNetwork.Dimensions) Assert.Contains(dim, texts);   // legend of the frame-score lines
        Assert.Single(FigureStackTests.PlotAreas(d).Distinct());                                // one time axis: aligned plot areas
        // every panel's x axis runs over the example's time span, 5.00 s … 7.00 s (200 frames of 10 ms)
        Assert.All(stack.Panels, f => Assert.Equal((5.0, 7.0), (f.XAxis.Min!.Value, f.XAxis.Max!.Value)));
        // the span is outlined on both heatmaps, dashed in rhythm's colour (Okabe–Ito #2, vermillion)
        var outlines = d.Descendants(Svg + "polyline").Where(l => (string?)l.Attribute("stroke") == Palette.Categorical(1) && l.Attribute("stroke-dasharray") is not null).ToArray();
        Assert.Equal(2, outlines.Length);
    }

    [Fact]
    public void Figure_without_an_attention_map_has_two_panels_and_a_wrong_sized_map_is_rejected()
    {
        var (e, p) = Case(attention: false);
        Assert.Equal(2, FeedbackFigure.Create(e, p).Panels.Count);
        var bad = p with { Attention = new float[10] };
        var ex = Assert.Throws<FigureException>(() => FeedbackFigure.Create(e, bad));
        Assert.Contains("200 × 16", ex.Message);
    }

    [Fact]
    public void Long_recordings_are_averaged_to_at_most_max_columns_for_display()
    {
        int t = 2 * FeedbackFigure.MaxColumns + 10, m = 8;
        var x = new FeatureMatrix(new float[t * m], t, m, Enumerable.Range(0, m).Select(i => $"b{i}").ToArray(), Enumerable.Range(0, t).Select(i => 0.01 * i).ToArray());
        var (starts, ends) = HfnBatching.FrameSpans(0, 0.01, 16, t / 16);
        var p = new HfnPrediction(new float[7], new float[6], new float[6], null, new float[t / 16 * 6], starts, ends, null);
        var heat = FeedbackFigure.Create(new HfnExample(x, null, null), p).Panels[0].Series.OfType<HeatmapSeries>().Single();
        Assert.Equal(((t + 2) / 3, m), (heat.Columns, heat.Rows));   // ⌈t / 1500⌉ = 3 frames per column
    }
}
