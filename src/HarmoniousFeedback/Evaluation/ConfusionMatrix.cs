using System.Globalization;
using System.Net;
using System.Text;

namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// A multiclass confusion matrix <c>C</c> with <c>C[i, j]</c> = number of samples whose true class is
/// <c>Classes[i]</c> and whose predicted class is <c>Classes[j]</c> (rows = truth, columns = prediction, as in
/// sklearn's <c>confusion_matrix</c>). All classification metrics of this stage are computed from it.
/// </summary>
/// <remarks>
/// <para>Per class k with <c>tp = C[k,k]</c>, <c>fp = Σ_i C[i,k] − tp</c>, <c>fn = Σ_j C[k,j] − tp</c>:
/// precision = tp / (tp + fp), recall = tp / (tp + fn), F1 = 2·tp / (2·tp + fp + fn), support = tp + fn.
/// A ratio whose denominator is 0 is defined as 0 — sklearn's <c>zero_division=0</c> — so a class never
/// predicted has precision 0 and a class absent from the truth has recall 0 and F1 0.</para>
/// <para>The class list is the sorted union of truth and prediction labels (sklearn's <c>unique_labels</c>) unless
/// given explicitly; macro averages run over this list, exactly like sklearn with <c>labels=classes</c>.</para>
/// </remarks>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    /// <summary>Class names in row/column order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Number of classes (rows = columns).</summary>
    public int ClassCount => Classes.Count;

    /// <summary>Total number of samples, Σ C[i,j].</summary>
    public long Total { get; }

    /// <summary>Builds a matrix from class names and a square count matrix (rows = truth).</summary>
    public ConfusionMatrix(IReadOnlyList<string> classes, long[,] counts)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(counts);
        if (classes.Count == 0) throw new MetricInputException(nameof(classes), "is empty; a confusion matrix needs at least one class");
        if (classes.Distinct(StringComparer.Ordinal).Count() != classes.Count)
            throw new MetricInputException(nameof(classes), $"contains duplicates: [{string.Join(", ", classes)}]");
        if (counts.GetLength(0) != classes.Count || counts.GetLength(1) != classes.Count)
            throw new MetricInputException(nameof(counts), $"is {counts.GetLength(0)} × {counts.GetLength(1)} but there are {classes.Count} classes");
        long total = 0;
        foreach (var c in counts)
        {
            if (c < 0) throw new MetricInputException(nameof(counts), $"contains a negative count {c}");
            total += c;
        }
        Classes = classes.ToArray();
        _counts = (long[,])counts.Clone();
        Total = total;
    }

    /// <summary>
    /// Counts pairs (truth[i], predicted[i]). <paramref name="classes"/> fixes the order and may include classes
    /// that do not occur; by default the sorted union of both label lists is used.
    /// </summary>
    /// <exception cref="MetricInputException">lengths differ, inputs are empty, or a label is not in <paramref name="classes"/>.</exception>
    public static ConfusionMatrix From(IReadOnlyList<string> truth, IReadOnlyList<string> predicted, IReadOnlyList<string>? classes = null)
    {
        Inputs.SameLength(truth, predicted);
        var cls = classes?.ToArray() ?? Inputs.SortedLabels(truth.Concat(predicted));
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < cls.Length; i++) index[cls[i]] = i;
        var counts = new long[cls.Length, cls.Length];
        for (int i = 0; i < truth.Count; i++)
        {
            if (!index.TryGetValue(truth[i], out int t))
                throw new MetricInputException(nameof(truth), $"label '{truth[i]}' at index {i} is not one of the classes [{string.Join(", ", cls)}]");
            if (!index.TryGetValue(predicted[i], out int p))
                throw new MetricInputException(nameof(predicted), $"label '{predicted[i]}' at index {i} is not one of the classes [{string.Join(", ", cls)}]");
            counts[t, p]++;
        }
        return new ConfusionMatrix(cls, counts);
    }

    /// <summary>Integer-label overload of <see cref="From(IReadOnlyList{string}, IReadOnlyList{string}, IReadOnlyList{string}?)"/>.</summary>
    public static ConfusionMatrix From(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<int>? classes = null)
        => From(ToStrings(truth), ToStrings(predicted), classes is null ? null : ToStrings(classes));

    /// <summary>Pools all predictions (every fold and repeat) into one matrix.</summary>
    public static ConfusionMatrix From(IEnumerable<Prediction> predictions, IReadOnlyList<string>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var list = predictions as IReadOnlyList<Prediction> ?? predictions.ToArray();
        Inputs.NotEmpty(list, nameof(predictions));
        return From(list.Select(p => p.Truth).ToArray(), list.Select(p => p.Predicted).ToArray(), classes);
    }

    internal static string[] ToStrings(IReadOnlyList<int> xs) => xs.Select(x => x.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Count of samples of true class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted] => _counts[truth, predicted];

    /// <summary>Count for class names.</summary>
    public long this[string truth, string predicted] => _counts[IndexOf(truth), IndexOf(predicted)];

    /// <summary>Index of a class name; throws <see cref="MetricInputException"/> if unknown.</summary>
    public int IndexOf(string className)
    {
        for (int i = 0; i < Classes.Count; i++) if (string.Equals(Classes[i], className, StringComparison.Ordinal)) return i;
        throw new MetricInputException("className", $"'{className}' is not one of the classes [{string.Join(", ", Classes)}]");
    }

    /// <summary>A copy of the count matrix.</summary>
    public long[,] Counts => (long[,])_counts.Clone();

    /// <summary>Support (number of true samples) of class k: Σ_j C[k,j].</summary>
    public long Support(int k) { long s = 0; for (int j = 0; j < ClassCount; j++) s += _counts[k, j]; return s; }

    /// <summary>Number of samples predicted as class k: Σ_i C[i,k].</summary>
    public long PredictedCount(int k) { long s = 0; for (int i = 0; i < ClassCount; i++) s += _counts[i, k]; return s; }

    /// <summary>
    /// Row-normalised matrix in percent: <c>100·C[i,j] / Σ_j C[i,j]</c> (sklearn <c>normalize="true"</c> × 100).
    /// A row with no samples is all 0. The diagonal is each class's recognition rate (recall).
    /// </summary>
    public double[,] RowPercent()
    {
        var r = new double[ClassCount, ClassCount];
        for (int i = 0; i < ClassCount; i++)
        {
            long s = Support(i);
            for (int j = 0; j < ClassCount; j++) r[i, j] = s == 0 ? 0 : 100.0 * _counts[i, j] / s;
        }
        return r;
    }

    /// <summary>Accuracy = Σ_k C[k,k] / N (sklearn <c>accuracy_score</c>).</summary>
    public double Accuracy
    {
        get
        {
            if (Total == 0) return 0;
            long d = 0;
            for (int k = 0; k < ClassCount; k++) d += _counts[k, k];
            return (double)d / Total;
        }
    }

    /// <summary>Precision of class k: tp / (tp + fp), 0 when nothing was predicted as k (zero_division=0).</summary>
    public double Precision(int k) { long p = PredictedCount(k); return p == 0 ? 0 : (double)_counts[k, k] / p; }

    /// <summary>Recall of class k: tp / (tp + fn), 0 when k has no true samples (zero_division=0).</summary>
    public double Recall(int k) { long s = Support(k); return s == 0 ? 0 : (double)_counts[k, k] / s; }

    /// <summary>F1 of class k: 2·tp / (2·tp + fp + fn) (= harmonic mean of precision and recall), 0 when tp+fp+fn = 0.</summary>
    public double F1(int k)
    {
        long tp = _counts[k, k];
        long denom = Support(k) + PredictedCount(k); // (tp+fn) + (tp+fp)
        return denom == 0 ? 0 : 2.0 * tp / denom;
    }

    /// <summary>Macro-F1 = (1/K) Σ_k F1_k over all <see cref="Classes"/> (sklearn <c>f1_score(average="macro", zero_division=0)</c>).</summary>
    public double MacroF1 => Enumerable.Range(0, ClassCount).Average(F1);

    /// <summary>Macro precision = (1/K) Σ_k precision_k.</summary>
    public double MacroPrecision => Enumerable.Range(0, ClassCount).Average(Precision);

    /// <summary>Macro recall = (1/K) Σ_k recall_k (includes classes with no true sample as 0, like sklearn's macro recall).</summary>
    public double MacroRecall => Enumerable.Range(0, ClassCount).Average(Recall);

    /// <summary>Support-weighted precision = Σ_k support_k·precision_k / N (sklearn <c>average="weighted"</c>).</summary>
    public double WeightedPrecision => Total == 0 ? 0 : Enumerable.Range(0, ClassCount).Sum(k => Support(k) * Precision(k)) / Total;

    /// <summary>Support-weighted recall = Σ_k support_k·recall_k / N (equals accuracy).</summary>
    public double WeightedRecall => Total == 0 ? 0 : Enumerable.Range(0, ClassCount).Sum(k => Support(k) * Recall(k)) / Total;

    /// <summary>Support-weighted F1 = Σ_k support_k·F1_k / N (sklearn <c>average="weighted"</c>).</summary>
    public double WeightedF1 => Total == 0 ? 0 : Enumerable.Range(0, ClassCount).Sum(k => Support(k) * F1(k)) / Total;

    /// <summary>
    /// Balanced accuracy = mean recall over the classes that occur in the truth (sklearn
    /// <c>balanced_accuracy_score</c>, <c>adjusted=False</c>: classes with zero support are left out).
    /// Equals the mean of the diagonal of <see cref="RowPercent"/> / 100 over non-empty rows.
    /// </summary>
    public double BalancedAccuracy
    {
        get
        {
            double sum = 0; int n = 0;
            for (int k = 0; k < ClassCount; k++)
                if (Support(k) > 0) { sum += Recall(k); n++; }
            return n == 0 ? 0 : sum / n;
        }
    }

    /// <summary>
    /// Cohen's κ = (p_o − p_e) / (1 − p_e) with p_o = Σ_k C[k,k]/N and p_e = Σ_k (row_k · col_k)/N²
    /// (Cohen 1960; sklearn <c>cohen_kappa_score</c>, unweighted). NaN when p_e = 1 (both raters use one
    /// single class), where sklearn also returns nan.
    /// </summary>
    public double CohenKappa
    {
        get
        {
            if (Total == 0) return double.NaN;
            double n = Total, po = Accuracy, pe = 0;
            for (int k = 0; k < ClassCount; k++) pe += (double)Support(k) * PredictedCount(k);
            pe /= n * n;
            return pe == 1 ? double.NaN : (po - pe) / (1 - pe);
        }
    }

    /// <summary>Per-class precision, recall, F1 and support, in class order.</summary>
    public IReadOnlyList<ClassMetrics> PerClass()
        => Enumerable.Range(0, ClassCount).Select(k => new ClassMetrics(Classes[k], Precision(k), Recall(k), F1(k), Support(k))).ToArray();

    /// <summary>Plain text: a count grid with class names.</summary>
    public override string ToString()
    {
        int w = Math.Max(Classes.Max(c => c.Length), Math.Max(5, _counts.Cast<long>().Max().ToString(CultureInfo.InvariantCulture).Length)) + 1;
        var sb = new StringBuilder();
        sb.Append("true\\pred".PadRight(w));
        foreach (var c in Classes) sb.Append(c.PadLeft(w));
        sb.AppendLine();
        for (int i = 0; i < ClassCount; i++)
        {
            sb.Append(Classes[i].PadRight(w));
            for (int j = 0; j < ClassCount; j++) sb.Append(_counts[i, j].ToString(CultureInfo.InvariantCulture).PadLeft(w));
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>HTML table: counts with the row percentage beneath, rows = true class.</summary>
    public string ToHtml()
    {
        var pct = RowPercent();
        var sb = new StringBuilder("<table class=\"hfb-confusion\"><thead><tr><th>true \\ predicted</th>");
        foreach (var c in Classes) sb.Append("<th>").Append(WebUtility.HtmlEncode(c)).Append("</th>");
        sb.Append("<th>support</th></tr></thead><tbody>");
        for (int i = 0; i < ClassCount; i++)
        {
            sb.Append("<tr><th>").Append(WebUtility.HtmlEncode(Classes[i])).Append("</th>");
            for (int j = 0; j < ClassCount; j++)
            {
                string style = i == j ? " style=\"font-weight:bold\"" : "";
                sb.Append("<td").Append(style).Append('>').Append(_counts[i, j].ToString(CultureInfo.InvariantCulture))
                  .Append("<br/><small>").Append(pct[i, j].ToString("0.0", CultureInfo.InvariantCulture)).Append("%</small></td>");
            }
            sb.Append("<td>").Append(Support(i).ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
        }
        sb.Append("</tbody><caption>accuracy ").Append((100 * Accuracy).ToString("0.00", CultureInfo.InvariantCulture))
          .Append("%, N = ").Append(Total.ToString(CultureInfo.InvariantCulture)).Append("</caption></table>");
        return sb.ToString();
    }

    /// <summary>
    /// Rich display for notebooks: text/plain (count grid) and text/html (counts with row %). The annotated heatmap is
    /// a figure, built one stage higher by <c>Plotting.ConfusionMatrixFigure.ToFigure</c> (<c>matrix.ToFigure()</c>):
    /// metrics know no plotting.
    /// </summary>
    public IReadOnlyDictionary<string, string> ToMimeBundle() => new Dictionary<string, string>
    {
        ["text/plain"] = ToString(),
        ["text/html"] = ToHtml(),
    };
}
