using System.Globalization;
using HarmoniousFeedback.Models.TeachingFeedback;

namespace HarmoniousFeedback.Plotting;

/// <summary>
/// The figure of one teaching-feedback prediction (what <c>hfb feedback --figure</c> writes; usable from notebooks):
/// three panels over the same time axis (<see cref="FigureStack"/>, plot areas aligned):
/// <list type="number">
/// <item>the student's normalised log-mel X(τ, ω) ∈ [0, 1] (the model's input; mel bins 0 … M−1 upwards, viridis);</item>
/// <item>the emotional attention map A(τ, ω) ∈ (0, 2) that re-weighted it (S = X ⊙ A; A = 1 is neutral) — left out for a
/// model without emotional attention or a prediction made without <c>withAttention</c>;</item>
/// <item>the per-frame issue scores d(τ′) ∈ [0, 1] of the six dimensions (one line each at the output frames' centres), the
/// threshold θ of <see cref="FeedbackIssues"/> as a dashed line, and each issue span as a band from 0 to its severity in
/// its dimension's colour, labelled "dimension severity".</item>
/// </list>
/// Every issue span is also outlined on the two heatmaps (white, with a dashed line in its dimension's colour). Colours:
/// dimension d takes <see cref="Palette.Categorical"/>(d) in <see cref="HarmoniousFeedbackNetwork.Dimensions"/> order.
/// Times are the example's frame times (s; a streamed window's are already shifted into the recording). Heatmaps wider
/// than <see cref="MaxColumns"/> frames are averaged over runs of ⌈T / MaxColumns⌉ frames (display only).
/// </summary>
public static class FeedbackFigure
{
    /// <summary>Heatmap columns drawn at most (longer recordings are averaged in time for display).</summary>
    public const int MaxColumns = 1500;

    /// <summary>
    /// Builds the figure of <paramref name="prediction"/> for <paramref name="example"/> (the inputs it was made from).
    /// <paramref name="issues"/> defaults to <see cref="HfnPrediction.Issues"/> with the default threshold and length.
    /// </summary>
    /// <exception cref="FigureException">A prediction that does not fit the example (attention size), or a width below 480 px.</exception>
    public static FigureStack Create(HfnExample example, HfnPrediction prediction, IReadOnlyList<FeedbackSpan>? issues = null, string? title = null, int width = 900)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(prediction);
        if (width < 480) throw new FigureException($"feedback figure width = {width} px must be at least 480");
        issues ??= prediction.Issues();
        var x = example.Student;
        int t = x.Rows, m = x.Columns;
        double hop = example.Hop;
        double t0 = t > 0 ? x.FrameTimes[0] : 0, t1 = t > 0 ? x.FrameTimes[t - 1] + hop : 1;
        var panels = new List<Figure>
        {
            Heatmap(x.Data, t, m, t0, t1, width, "Student log-mel X (normalised)", "X", 0, 1, issues),
        };
        if (prediction.Attention is { } a)
        {
            if (a.Length != t * m) throw new FigureException($"the attention map has {a.Length} values; the example's log-mel is {t} × {m}");
            panels.Add(Heatmap(a, t, m, t0, t1, width, "Emotional attention A (1 = neutral)", "A", 0, 2, issues));
        }
        panels.Add(FrameScores(prediction, issues, t0, t1, width));
        return new FigureStack(panels) { Title = title };
    }

    private static Figure Heatmap(float[] data, int t, int m, double t0, double t1, int width, string name, string bar, double min, double max, IReadOnlyList<FeedbackSpan> issues)
    {
        int pool = (t + MaxColumns - 1) / MaxColumns, cols = (t + pool - 1) / pool;
        var v = new double[m, cols];
        for (int c = 0; c < cols; c++)
        {
            int a = c * pool, b = Math.Min(t, a + pool);
            for (int w = 0; w < m; w++)
            {
                double s = 0;
                for (int i = a; i < b; i++) s += data[i * m + w];
                v[w, c] = s / (b - a);
            }
        }
        var f = new Figure(width, 250) { Title = name, Legend = LegendPosition.None };
        f.XAxis.Label = "Time (s)";
        f.YAxis.Label = "Mel bin";
        f.AddHeatmap(new HeatmapSeries(v)
        {
            Extent = new Extent(t0, t0 + (t1 - t0) * cols * pool / t, 0, m), Origin = HeatmapOrigin.Bottom, Min = min, Max = max, ColorBarLabel = bar, Raster = true,
        });
        f.XAxis.Min = t0;
        f.XAxis.Max = t1;
        foreach (var s in issues)
        {
            double[] xs = [s.Start, s.Start, s.End, s.End, s.Start], ys = [0.5, m - 0.5, m - 0.5, 0.5, 0.5];
            f.Add(new LineSeries(xs, ys) { Color = "#ffffff", StrokeWidth = 2.5 });
            f.Add(new LineSeries(xs, ys) { Color = Palette.Categorical(s.Dimension), StrokeWidth = 2, Dashed = true });
        }
        return f;
    }

    private static Figure FrameScores(HfnPrediction p, IReadOnlyList<FeedbackSpan> issues, double t0, double t1, int width)
    {
        var f = new Figure(width, 270) { Title = "Per-frame issue scores d (0 = as the score asks)", Legend = LegendPosition.OutsideRight };
        f.XAxis.Label = "Time (s)";
        f.YAxis.Label = "d";
        f.XAxis.Min = t0;
        f.XAxis.Max = t1;
        f.YAxis.Min = 0;
        f.YAxis.Max = 1.2;
        for (int i = 0; i < issues.Count; i++)
        {
            var s = issues[i];
            f.Add(new BandSeries([s.Start, s.End], [0, 0], [s.Severity, s.Severity]) { Color = Palette.Categorical(s.Dimension), Opacity = 0.25 });
            int below = issues.Take(i).Count(o => o.Start < s.End && s.Start < o.End);   // earlier labels over the same time: stack above them
            f.AddText((s.Start + s.End) / 2, Math.Min(s.Severity + 0.07 + 0.1 * below, 1.15), string.Create(CultureInfo.InvariantCulture, $"{s.DimensionName} {s.Severity:0.00}"));
        }
        var centres = Enumerable.Range(0, p.FrameCount).Select(j => (p.FrameStarts[j] + p.FrameEnds[j]) / 2).ToArray();
        for (int d = 0; d < HarmoniousFeedbackNetwork.Dimensions.Count; d++)
        {
            var y = Enumerable.Range(0, p.FrameCount).Select(j => (double)p.FrameDeficits[j * 6 + d]).ToArray();
            f.Add(new LineSeries(centres, y) { Name = HarmoniousFeedbackNetwork.Dimensions[d], Color = Palette.Categorical(d), StrokeWidth = 1.6 });
        }
        f.AddReferenceLine(LineOrientation.Horizontal, FeedbackIssues.DefaultThreshold, $"θ = {FeedbackIssues.DefaultThreshold.ToString(CultureInfo.InvariantCulture)}");
        return f;
    }
}
