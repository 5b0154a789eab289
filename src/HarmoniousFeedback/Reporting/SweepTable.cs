using System.Globalization;
using HarmoniousFeedback.Evaluation;

namespace HarmoniousFeedback.Reporting;

/// <summary>
/// The summary of parameter sweeps: per swept model and grid point, the accuracy and macro-F1 as mean ± sample std over
/// every unit (repeat × fold × seed) and the number of units — the table to choose hyperparameters from. Points are
/// listed in grid order; the best mean accuracy of each model is bold. Selecting on a test fold's score is optimistic:
/// the caption says so.
/// </summary>
public static class SweepTable
{
    public static Table Build(IReadOnlyList<SweepPoint> points, string? caption = null, string? label = null)
    {
        if (points.Count == 0) throw new MetricInputException(nameof(points), "is empty; a sweep table needs at least one point");
        var keys = points.SelectMany(p => p.Point.Select(kv => kv.Key)).Distinct(StringComparer.Ordinal).ToList();
        var cols = new List<TableColumn> { new("Model") };
        cols.AddRange(keys.Select(k => new TableColumn(k, ColumnAlignment.Right)));
        cols.Add(new TableColumn("Seeds", ColumnAlignment.Right));
        cols.Add(new TableColumn("Units", ColumnAlignment.Right));
        cols.Add(new TableColumn("Accuracy (%)", ColumnAlignment.Right));
        cols.Add(new TableColumn("Macro-F1 (%)", ColumnAlignment.Right));
        var t = new Table(cols)
        {
            Caption = caption ?? "Parameter sweep: accuracy and macro-F1 (mean ± std over folds × seeds)",
            Label = label,
            Note = "Mean ± sample std over units (repeat × fold × seed). Choosing the best point on these test folds is optimistic; confirm it with nested CV or a held-out set.",
        };
        var stats = points.Select(p =>
        {
            var acc = p.PredictionsPerSeed.SelectMany(units => ClassificationMetrics.ByFold(units, ClassificationMetric.Accuracy).Select(f => f.Value)).ToArray();
            var f1 = p.PredictionsPerSeed.SelectMany(units => ClassificationMetrics.ByFold(units, ClassificationMetric.MacroF1).Select(f => f.Value)).ToArray();
            return (Point: p, Acc: Summary.Of(acc), F1: Summary.Of(f1), Units: acc.Length);
        }).ToList();
        var best = stats.GroupBy(s => s.Point.Model).ToDictionary(g => g.Key, g => g.Max(s => s.Acc.Mean));
        foreach (var s in stats)
        {
            var cells = new List<TableCell> { s.Point.Model };
            cells.AddRange(keys.Select(k => new TableCell(s.Point.Point.FirstOrDefault(kv => kv.Key == k).Value ?? "")));
            cells.Add(s.Point.Seeds.Count == 0 ? "—" : string.Join(", ", s.Point.Seeds.Select(x => x.ToString(CultureInfo.InvariantCulture))));
            cells.Add(s.Units.ToString(CultureInfo.InvariantCulture));
            bool isBest = s.Acc.Mean == best[s.Point.Model];
            cells.Add(new TableCell(Pm(s.Acc), isBest));
            cells.Add(Pm(s.F1));
            t.AddRow(cells.ToArray());
        }
        return t;
    }

    private static string Pm(Summary s) => string.Create(CultureInfo.InvariantCulture, $"{100 * s.Mean:F1} ± {(double.IsNaN(s.Std) ? 0 : 100 * s.Std):F1}");
}
