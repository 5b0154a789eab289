using System.Globalization;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;

namespace HarmoniousFeedback.Plotting;

/// <summary>
/// A teaching-feedback picture of one performance: a time × mel-band map — the student's normalised log-mel, or the
/// emotional attention A(τ,ω) the HFN put over it (<see cref="HfnPrediction.Attention"/>) — with the issue spans drawn
/// above it in two lanes: the planted (truth) spans solid in the upper lane, the predicted spans
/// (<see cref="FeedbackReport.Issues"/>) dashed in the lower lane, each dimension in its own row of the lane and its
/// own colour (Okabe–Ito, in <see cref="HarmoniousFeedbackNetwork.Dimensions"/> order; the legend names the dimensions
/// present).
/// </summary>
/// <remarks>
/// Axes: x = time (s) from 0 to T·hop, hop = the spacing of <see cref="FeatureMatrix.FrameTimes"/> (one frame's
/// column spans [τ·hop, (τ+1)·hop)); y = mel band 0 … M below the lanes: dimension d's row is at (1.03 + 0.018·d)·M in
/// the predicted lane and (1.21 + 0.018·d)·M in the planted lane, on an axis that ends at 1.34·M. The map is drawn as
/// a raster heatmap (viridis, colour bar).
/// </remarks>
public static class FeedbackSpanFigure
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Lowest row of the predicted lane, of the planted lane, and the spacing of the dimension rows, in units of M (the number of bands).</summary>
    private const double PredictedLane = 1.03, PlantedLane = 1.21, RowStep = 0.018;

    /// <summary>Builds the figure.</summary>
    /// <param name="map">[T × M] frames × mel bands, row-major, with frame times in seconds (e.g. the HFN's log-mel input).</param>
    /// <param name="planted">Truth spans (e.g. <see cref="FeedbackTargets.Spans"/>); may be empty.</param>
    /// <param name="predicted">Predicted spans (e.g. <see cref="HfnPrediction.Issues"/>); may be empty.</param>
    /// <param name="title">Figure title.</param>
    /// <param name="colorBarLabel">Label of the colour bar (e.g. "A" or "level").</param>
    /// <param name="width">Width in px.</param>
    /// <param name="height">Height in px.</param>
    /// <exception cref="FigureException">An empty map, frame times that do not increase, or a span outside [0, T·hop] or of an unknown dimension.</exception>
    public static Figure Create(FeatureMatrix map, IReadOnlyList<FeedbackSpan> planted, IReadOnlyList<FeedbackSpan> predicted,
        string? title = null, string? colorBarLabel = null, int width = 820, int height = 380)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(planted);
        ArgumentNullException.ThrowIfNull(predicted);
        if (map.Rows == 0 || map.Columns == 0) throw new FigureException($"feedback span figure: the map is {map.Rows} × {map.Columns}; it needs at least one frame and one band");
        double hop = map.Rows > 1 ? map.FrameTimes[1] - map.FrameTimes[0] : 0.01;
        if (!(hop > 0)) throw new FigureException($"feedback span figure: frame times must increase (hop {hop.ToString(Inv)} s)");
        double duration = map.Rows * hop;
        int dims = HarmoniousFeedbackNetwork.Dimensions.Count;
        foreach (var s in planted.Concat(predicted))
        {
            if (s.Dimension < 0 || s.Dimension >= dims)
                throw new FigureException($"feedback span figure: span dimension {s.Dimension} is not one of the {dims} feedback dimensions (0 … {dims - 1})");
            if (!(s.Start >= 0 && s.End >= s.Start && s.Start <= duration + hop))
                throw new FigureException($"feedback span figure: span {s.Start.ToString("0.###", Inv)}–{s.End.ToString("0.###", Inv)} s lies outside the map's 0–{duration.ToString("0.###", Inv)} s");
        }

        // [T × M] row-major → a heatmap with bands as rows (low bands at the bottom) and frames as columns.
        var transposed = new float[map.Rows * map.Columns];
        for (int t = 0; t < map.Rows; t++)
            for (int m = 0; m < map.Columns; m++) transposed[m * map.Rows + t] = map.Data[t * map.Columns + m];
        var heat = HeatmapSeries.FromRowMajor(transposed, map.Columns, map.Rows);
        heat.Extent = new Extent(0, duration, 0, map.Columns);
        heat.Origin = HeatmapOrigin.Bottom;
        heat.Raster = true;
        heat.ColorBarLabel = colorBarLabel;

        var f = new Figure(width, height) { Title = title, Legend = LegendPosition.OutsideRight, Grid = false };
        f.XAxis.Label = "time (s)";
        f.XAxis.Min = 0;
        f.XAxis.Max = duration;
        f.YAxis.Label = "mel band · issue spans";
        f.YAxis.Min = 0;
        f.YAxis.Max = 1.34 * map.Columns;
        f.AddHeatmap(heat);

        // One row per dimension inside each lane, so spans of different dimensions never hide each other.
        var named = new HashSet<int>();
        void Lane(IReadOnlyList<FeedbackSpan> spans, double lane, bool dashed)
        {
            foreach (var s in spans.OrderBy(s => s.Dimension).ThenBy(s => s.Start))
            {
                double end = Math.Min(Math.Max(s.End, s.Start + hop), duration), y = (lane + RowStep * s.Dimension) * map.Columns;
                var line = f.AddLine([s.Start, end], [y, y], named.Add(s.Dimension) ? HarmoniousFeedbackNetwork.Dimensions[s.Dimension] : null);
                line.Color = Palette.Categorical(s.Dimension);
                line.StrokeWidth = 4;
                line.Dashed = dashed;
            }
        }
        Lane(planted, PlantedLane, dashed: false);
        Lane(predicted, PredictedLane, dashed: true);
        f.AddText(0.5 * duration, (PredictedLane + RowStep * dims + 0.007) * map.Columns, "▲ planted (solid)    ▼ predicted (dashed)");
        return f;
    }
}
