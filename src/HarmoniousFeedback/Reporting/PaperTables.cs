using System.Globalization;
using HarmoniousFeedback.Evaluation;

namespace HarmoniousFeedback.Reporting;

/// <summary>
/// Builders for the paper's tables from generic inputs (model name → list of <see cref="Prediction"/>), so any model,
/// classical or neural, fits. Models keep the order given.
/// </summary>
public static class PaperTables
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Table 1: one row per model with accuracy mean ± std and macro-F1 mean ± std over (repeat, fold) units (sample
    /// std), the percentile-bootstrap CI of the pooled accuracy, and optionally the p-value of the comparison with the
    /// best model (highest mean accuracy; "—" in its own row).
    /// </summary>
    /// <exception cref="MetricInputException">no models, a model without predictions, or models not evaluated on the same clips.</exception>
    public static Table Table1(IEnumerable<KeyValuePair<string, IReadOnlyList<Prediction>>> models, Table1Options? options = null)
    {
        var o = options ?? new Table1Options();
        o.Validate();
        var list = models?.ToArray() ?? throw new ArgumentNullException(nameof(models));
        if (list.Length == 0) throw new MetricInputException(nameof(models), "is empty; Table 1 needs at least one model");
        double scale = o.Percent ? 100 : 1;
        string fmt = "F" + o.Decimals.ToString(Inv);
        string unit = o.Percent ? " (%)" : "";
        var reports = list.Select(m => (m.Key, Report: ClassificationReport.From(m.Value))).ToArray();
        var cis = o.BootstrapResamples > 0
            ? list.Select(m => Bootstrap.PercentileCi(m.Value, ClassificationMetric.Accuracy, o.BootstrapResamples, o.ConfidenceLevel, o.Seed)).ToArray()
            : null;
        var f1Cis = o.BootstrapResamples > 0 && o.MacroF1Ci
            ? list.Select(m => Bootstrap.PercentileCi(m.Value, ClassificationMetric.MacroF1, o.BootstrapResamples, o.ConfidenceLevel, o.Seed)).ToArray()
            : null;
        ModelComparison? cmp = o.PValueVsBest && list.Length >= 2 ? ModelComparison.Compare(list) : null;

        var cols = new List<TableColumn>
        {
            new("Model"),
            new("Accuracy" + unit, ColumnAlignment.Right),
            new("Macro-F1" + unit, ColumnAlignment.Right),
        };
        string levelText = (o.ConfidenceLevel * 100).ToString("0.#", Inv);
        if (cis is not null) cols.Add(new TableColumn($"{levelText} % CI (accuracy)", ColumnAlignment.Right));
        if (f1Cis is not null) cols.Add(new TableColumn($"{levelText} % CI (macro-F1)", ColumnAlignment.Right));
        if (cmp is not null) cols.Add(new TableColumn("p vs best", ColumnAlignment.Right));
        var t = new Table(cols) { Caption = o.Caption, Label = o.Label };

        double bestAcc = reports.Max(r => r.Report.AccuracySummary.Mean), bestF1 = reports.Max(r => r.Report.MacroF1Summary.Mean);
        for (int i = 0; i < reports.Length; i++)
        {
            var (name, rep) = reports[i];
            var cells = new List<TableCell>
            {
                name,
                new(rep.AccuracySummary.Format(fmt, scale), o.BoldBest && reports.Length > 1 && rep.AccuracySummary.Mean == bestAcc),
                new(rep.MacroF1Summary.Format(fmt, scale), o.BoldBest && reports.Length > 1 && rep.MacroF1Summary.Mean == bestF1),
            };
            if (cis is not null) cells.Add(cis[i].Format(fmt, scale));
            if (f1Cis is not null) cells.Add(f1Cis[i].Format(fmt, scale));
            if (cmp is not null)
            {
                var pc = cmp.VersusBest(name);
                cells.Add(pc is null ? "—" : FormatP(pc.CorrectedT?.PValue ?? pc.McNemar.PValue));
            }
            t.AddRow(cells.ToArray());
        }
        var notes = new List<string>();
        int units = reports[0].Report.FoldAccuracy.Count;
        notes.Add($"Mean ± sample std over {units} evaluation unit(s) (repeat × fold).");
        if (cis is not null) notes.Add($"CI: percentile bootstrap of pooled {(f1Cis is null ? "accuracy" : "accuracy and macro-F1")}, B = {o.BootstrapResamples}, seed {o.Seed}.");
        if (cmp is not null)
            notes.Add(units >= 2
                ? $"p: Nadeau–Bengio corrected resampled t-test on per-fold accuracy vs the best model ({cmp.Best})."
                : $"p: McNemar's test vs the best model ({cmp.Best}), exact binomial when b + c < 25.");
        t.Note = string.Join(" ", notes);
        return t;
    }

    /// <summary>
    /// Table 2: per-class recognition rates in %, rows = true class, one column per model; each cell is the diagonal
    /// entry of the model's row-normalised pooled confusion matrix (= per-class recall × 100). A final "Average" row
    /// holds the mean over classes (= balanced accuracy × 100). Classes default to the sorted union of all labels.
    /// </summary>
    public static Table Table2(IEnumerable<KeyValuePair<string, IReadOnlyList<Prediction>>> models, IReadOnlyList<string>? classes = null,
        int decimals = 1, bool averageRow = true, bool boldBest = true,
        string caption = "Per-class recognition rate (%) (diagonal of the row-normalised confusion matrix).", string label = "tab:per-class")
    {
        var list = models?.ToArray() ?? throw new ArgumentNullException(nameof(models));
        if (list.Length == 0) throw new MetricInputException(nameof(models), "is empty; Table 2 needs at least one model");
        foreach (var m in list) if (m.Value is null || m.Value.Count == 0) throw new MetricInputException($"models[{m.Key}]", "has no predictions");
        var cls = classes ?? Inputs.SortedLabels(list.SelectMany(m => m.Value.SelectMany(p => new[] { p.Truth, p.Predicted })));
        var matrices = list.Select(m => ConfusionMatrix.From(m.Value, cls)).ToArray();
        string fmt = "F" + decimals.ToString(Inv);
        var t = new Table([new TableColumn("True class"), .. list.Select(m => new TableColumn(m.Key, ColumnAlignment.Right))]) { Caption = caption, Label = label };
        var rates = matrices.Select(cm => cm.RowPercent()).ToArray();
        for (int k = 0; k < cls.Count; k++)
        {
            if (matrices.All(cm => cm.Support(k) == 0)) continue; // a class only ever predicted has no recognition rate
            double best = rates.Max(r => r[k, k]);
            var cells = new List<TableCell> { cls[k] };
            for (int m = 0; m < matrices.Length; m++)
                cells.Add(matrices[m].Support(k) == 0 ? "—" : new TableCell(rates[m][k, k].ToString(fmt, Inv), boldBest && matrices.Length > 1 && rates[m][k, k] == best));
            t.AddRow(cells.ToArray());
        }
        if (averageRow)
        {
            var avg = matrices.Select(cm => 100 * cm.BalancedAccuracy).ToArray();
            t.AddRow([new TableCell("Average"), .. avg.Select(a => new TableCell(a.ToString(fmt, Inv), boldBest && matrices.Length > 1 && a == avg.Max()))]);
        }
        return t;
    }

    /// <summary>
    /// The pairwise tests of a <see cref="ModelComparison"/> as a table. Δ = score(A) − score(B) of the pooled metric in
    /// percentage points ("pp", i.e. × 100, like the % columns of Tables 1 and 2) with <paramref name="decimals"/> decimals.
    /// </summary>
    public static Table Comparison(ModelComparison comparison, int decimals = 1, string? caption = null, string label = "tab:comparison")
    {
        ArgumentNullException.ThrowIfNull(comparison);
        string fmt = "F" + decimals.ToString(Inv);
        var t = new Table("Model A", "Model B", $"Δ {comparison.Metric} (pp)", "McNemar b/c", "McNemar p", "corrected t", "t-test p")
        {
            Caption = caption ?? $"Pairwise comparisons ({comparison.Pairs.Count} tests, no multiplicity correction).",
            Label = label,
        };
        foreach (var p in comparison.Pairs)
            t.AddRow(p.ModelA, p.ModelB, (100 * (p.ScoreA - p.ScoreB)).ToString(fmt, Inv),
                $"{p.McNemar.B}/{p.McNemar.C}", FormatP(p.McNemar.PValue),
                p.CorrectedT is { } ct && !double.IsNaN(ct.T) ? ct.T.ToString("F2", Inv) : "—", p.CorrectedT is { } c2 ? FormatP(c2.PValue) : "—");
        t.Note = $"Δ in percentage points (pp). McNemar on repeat {comparison.McNemarRepeat} (exact binomial when b + c < 25, else χ² with continuity correction); corrected t: Nadeau & Bengio (2003).";
        return t;
    }

    /// <summary>p-values as papers print them: 3 significant decimals, "&lt; 0.001" below 0.001.</summary>
    public static string FormatP(double p)
        => double.IsNaN(p) ? "—" : p < 0.001 ? "< 0.001" : p.ToString("0.000", Inv);
}
