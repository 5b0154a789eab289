using System.Globalization;
using HarmoniousFeedback.Evaluation;

namespace HarmoniousFeedback.Plotting;

/// <summary>
/// Figures of evaluation results. They live here, above Evaluation, so that metrics know no plotting: call them as
/// <c>matrix.ToFigure()</c> with <c>using HarmoniousFeedback.Plotting;</c>.
/// </summary>
public static class ConfusionMatrixFigure
{
    /// <summary>
    /// The confusion matrix as an annotated heatmap: rows = true class (top to bottom in class order), columns =
    /// predicted class; colour = row percentage (0–100 %, viridis, with a colour bar); each cell's text = count and
    /// row %. The figure is 140 + 64·classes px square (clamped to [320, 900]) plus 90 px for the colour bar.
    /// </summary>
    public static Figure ToFigure(this ConfusionMatrix matrix, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.ClassCount;
        var pct = matrix.RowPercent();
        var notes = new string[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                notes[i, j] = matrix[i, j].ToString(CultureInfo.InvariantCulture) + "\n" + pct[i, j].ToString("0.0", CultureInfo.InvariantCulture) + "%";
        int size = Math.Clamp(140 + 64 * n, 320, 900);
        var fig = new Figure(size + 90, size) { Title = title ?? "Confusion matrix" };
        fig.XAxis.Label = "Predicted class";
        fig.YAxis.Label = "True class";
        fig.AddHeatmap(new HeatmapSeries(pct)
        {
            ColumnLabels = matrix.Classes,
            RowLabels = matrix.Classes,
            Annotations = notes,
            Min = 0,
            Max = 100,
            ColorBarLabel = "% of true class",
            Origin = HeatmapOrigin.Top,
        });
        return fig;
    }
}
