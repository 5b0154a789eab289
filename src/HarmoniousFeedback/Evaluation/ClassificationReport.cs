using System.Globalization;
using System.Net;
using System.Text;

namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Everything a paper reports about one model's predictions: the pooled confusion matrix and its metrics
/// (accuracy, macro-F1, weighted F1, balanced accuracy, Cohen's κ, per-class precision/recall/F1/support), and
/// accuracy and macro-F1 per (repeat, fold) unit summarised as mean ± sample std.
/// </summary>
public sealed class ClassificationReport
{
    /// <summary>Pooled confusion matrix over all folds and repeats.</summary>
    public ConfusionMatrix Confusion { get; }

    /// <summary>Per-class metrics on the pooled predictions.</summary>
    public IReadOnlyList<ClassMetrics> PerClass { get; }

    /// <summary>Pooled accuracy.</summary>
    public double Accuracy => Confusion.Accuracy;

    /// <summary>Pooled macro-F1.</summary>
    public double MacroF1 => Confusion.MacroF1;

    /// <summary>Pooled support-weighted F1.</summary>
    public double WeightedF1 => Confusion.WeightedF1;

    /// <summary>Pooled balanced accuracy.</summary>
    public double BalancedAccuracy => Confusion.BalancedAccuracy;

    /// <summary>Pooled Cohen's κ.</summary>
    public double CohenKappa => Confusion.CohenKappa;

    /// <summary>Accuracy per (repeat, fold) unit.</summary>
    public IReadOnlyList<FoldScore> FoldAccuracy { get; }

    /// <summary>Macro-F1 per (repeat, fold) unit.</summary>
    public IReadOnlyList<FoldScore> FoldMacroF1 { get; }

    /// <summary>Mean ± std of <see cref="FoldAccuracy"/>.</summary>
    public Summary AccuracySummary { get; }

    /// <summary>Mean ± std of <see cref="FoldMacroF1"/>.</summary>
    public Summary MacroF1Summary { get; }

    /// <summary>Number of predictions.</summary>
    public int Count { get; }

    private ClassificationReport(IReadOnlyList<Prediction> predictions, IReadOnlyList<string>? classes)
    {
        Confusion = ConfusionMatrix.From(predictions, classes);
        PerClass = Confusion.PerClass();
        FoldAccuracy = ClassificationMetrics.ByFold(predictions, ClassificationMetric.Accuracy);
        FoldMacroF1 = ClassificationMetrics.ByFold(predictions, ClassificationMetric.MacroF1);
        AccuracySummary = Summary.Of(FoldAccuracy.Select(f => f.Value));
        MacroF1Summary = Summary.Of(FoldMacroF1.Select(f => f.Value));
        Count = predictions.Count;
    }

    /// <summary>Builds the report. <paramref name="classes"/> fixes the class order (default: sorted labels).</summary>
    /// <exception cref="MetricInputException">no predictions, or a label outside <paramref name="classes"/>.</exception>
    public static ClassificationReport From(IEnumerable<Prediction> predictions, IReadOnlyList<string>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var list = predictions as IReadOnlyList<Prediction> ?? predictions.ToArray();
        Inputs.NotEmpty(list, nameof(predictions));
        return new ClassificationReport(list, classes);
    }

    /// <summary>sklearn-style text report (precision, recall, f1-score, support; then accuracy, macro and weighted averages).</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        int w = Math.Max(12, PerClass.Max(m => m.Class.Length) + 2);
        var sb = new StringBuilder();
        sb.Append(new string(' ', w)).AppendLine(" precision    recall  f1-score   support");
        sb.AppendLine();
        foreach (var m in PerClass)
            sb.Append(m.Class.PadLeft(w)).Append(m.Precision.ToString("0.00", c).PadLeft(10)).Append(m.Recall.ToString("0.00", c).PadLeft(10))
              .Append(m.F1.ToString("0.00", c).PadLeft(10)).Append(m.Support.ToString(c).PadLeft(10)).AppendLine();
        sb.AppendLine();
        sb.Append("accuracy".PadLeft(w)).Append(new string(' ', 20)).Append(Accuracy.ToString("0.00", c).PadLeft(10)).Append(Count.ToString(c).PadLeft(10)).AppendLine();
        sb.Append("macro avg".PadLeft(w)).Append(Confusion.MacroPrecision.ToString("0.00", c).PadLeft(10)).Append(Confusion.MacroRecall.ToString("0.00", c).PadLeft(10))
          .Append(MacroF1.ToString("0.00", c).PadLeft(10)).Append(Count.ToString(c).PadLeft(10)).AppendLine();
        sb.Append("weighted avg".PadLeft(w)).Append(Confusion.WeightedPrecision.ToString("0.00", c).PadLeft(10)).Append(Confusion.WeightedRecall.ToString("0.00", c).PadLeft(10)).Append(WeightedF1.ToString("0.00", c).PadLeft(10)).Append(Count.ToString(c).PadLeft(10)).AppendLine();
        sb.AppendLine();
        sb.Append("balanced accuracy ").Append(BalancedAccuracy.ToString("0.0000", c)).Append(", Cohen's kappa ").Append(CohenKappa.ToString("0.0000", c)).AppendLine();
        sb.Append("per fold (").Append(FoldAccuracy.Count.ToString(c)).Append(" units): accuracy ").Append(AccuracySummary.Format("0.0000"))
          .Append(", macro-F1 ").Append(MacroF1Summary.Format("0.0000")).AppendLine();
        return sb.ToString();
    }

    /// <summary>HTML: per-class table, summary line and the confusion matrix.</summary>
    public string ToHtml()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("<div class=\"hfb-report\"><table><thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>");
        foreach (var m in PerClass)
            sb.Append("<tr><th>").Append(WebUtility.HtmlEncode(m.Class)).Append("</th><td>").Append(m.Precision.ToString("0.000", c))
              .Append("</td><td>").Append(m.Recall.ToString("0.000", c)).Append("</td><td>").Append(m.F1.ToString("0.000", c))
              .Append("</td><td>").Append(m.Support.ToString(c)).Append("</td></tr>");
        sb.Append("</tbody></table><p>accuracy ").Append(Accuracy.ToString("0.000", c)).Append(" · macro-F1 ").Append(MacroF1.ToString("0.000", c))
          .Append(" · balanced accuracy ").Append(BalancedAccuracy.ToString("0.000", c)).Append(" · κ ").Append(CohenKappa.ToString("0.000", c))
          .Append(" · per fold: accuracy ").Append(WebUtility.HtmlEncode(AccuracySummary.Format())).Append(", macro-F1 ")
          .Append(WebUtility.HtmlEncode(MacroF1Summary.Format())).Append(" (").Append(FoldAccuracy.Count.ToString(c)).Append(" units)</p>")
          .Append(Confusion.ToHtml()).Append("</div>");
        return sb.ToString();
    }

    /// <summary>
    /// Rich display for notebooks: text/plain and text/html (per-class table, summary, confusion counts). The heatmap is
    /// <c>report.Confusion.ToFigure()</c> (Plotting).
    /// </summary>
    public IReadOnlyDictionary<string, string> ToMimeBundle() => new Dictionary<string, string>
    {
        ["text/plain"] = ToString(),
        ["text/html"] = ToHtml(),
    };
}
