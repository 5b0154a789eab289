namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Classification metrics on paired label lists (string or integer labels) and on <see cref="Prediction"/>s.
/// Each is a thin wrapper over <see cref="ConfusionMatrix"/>, which documents the formulas; they match
/// sklearn.metrics with <c>zero_division=0</c>.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>Accuracy = (1/N) Σ_i [truth_i = predicted_i] (sklearn <c>accuracy_score</c>).</summary>
    public static double Accuracy(IReadOnlyList<string> truth, IReadOnlyList<string> predicted) => ConfusionMatrix.From(truth, predicted).Accuracy;

    /// <inheritdoc cref="Accuracy(IReadOnlyList{string}, IReadOnlyList{string})"/>
    public static double Accuracy(IReadOnlyList<int> truth, IReadOnlyList<int> predicted) => ConfusionMatrix.From(truth, predicted).Accuracy;

    /// <summary>Macro-F1 over the sorted union of labels (sklearn <c>f1_score(average="macro", zero_division=0)</c>).</summary>
    public static double MacroF1(IReadOnlyList<string> truth, IReadOnlyList<string> predicted) => ConfusionMatrix.From(truth, predicted).MacroF1;

    /// <inheritdoc cref="MacroF1(IReadOnlyList{string}, IReadOnlyList{string})"/>
    public static double MacroF1(IReadOnlyList<int> truth, IReadOnlyList<int> predicted) => ConfusionMatrix.From(truth, predicted).MacroF1;

    /// <summary>Cohen's κ (sklearn <c>cohen_kappa_score</c>).</summary>
    public static double CohenKappa(IReadOnlyList<string> truth, IReadOnlyList<string> predicted) => ConfusionMatrix.From(truth, predicted).CohenKappa;

    /// <inheritdoc cref="CohenKappa(IReadOnlyList{string}, IReadOnlyList{string})"/>
    public static double CohenKappa(IReadOnlyList<int> truth, IReadOnlyList<int> predicted) => ConfusionMatrix.From(truth, predicted).CohenKappa;

    /// <summary>Balanced accuracy (sklearn <c>balanced_accuracy_score</c>, unadjusted).</summary>
    public static double BalancedAccuracy(IReadOnlyList<string> truth, IReadOnlyList<string> predicted) => ConfusionMatrix.From(truth, predicted).BalancedAccuracy;

    /// <inheritdoc cref="BalancedAccuracy(IReadOnlyList{string}, IReadOnlyList{string})"/>
    public static double BalancedAccuracy(IReadOnlyList<int> truth, IReadOnlyList<int> predicted) => ConfusionMatrix.From(truth, predicted).BalancedAccuracy;

    /// <summary>Per-class precision/recall/F1/support (sklearn <c>precision_recall_fscore_support</c>, zero_division=0).</summary>
    public static IReadOnlyList<ClassMetrics> PerClass(IReadOnlyList<string> truth, IReadOnlyList<string> predicted) => ConfusionMatrix.From(truth, predicted).PerClass();

    /// <summary>The value of <paramref name="metric"/> for a confusion matrix.</summary>
    public static double Evaluate(this ConfusionMatrix matrix, ClassificationMetric metric) => metric switch
    {
        ClassificationMetric.Accuracy => matrix.Accuracy,
        ClassificationMetric.MacroF1 => matrix.MacroF1,
        ClassificationMetric.BalancedAccuracy => matrix.BalancedAccuracy,
        ClassificationMetric.CohenKappa => matrix.CohenKappa,
        ClassificationMetric.WeightedF1 => matrix.WeightedF1,
        _ => throw new MetricInputException(nameof(metric), $"{(int)metric} is not a {nameof(ClassificationMetric)} (allowed: {string.Join(", ", Enum.GetNames<ClassificationMetric>())})"),
    };

    /// <summary>The metric on the pooled predictions (every fold and repeat in one confusion matrix).</summary>
    public static double Evaluate(IEnumerable<Prediction> predictions, ClassificationMetric metric) => ConfusionMatrix.From(predictions).Evaluate(metric);

    /// <summary>
    /// The metric computed separately in every evaluation unit (repeat, fold), in (repeat, fold) order. Each unit's
    /// class list is the labels occurring in that unit, as sklearn's scorers do inside <c>cross_val_score</c>.
    /// </summary>
    public static IReadOnlyList<FoldScore> ByFold(IEnumerable<Prediction> predictions, ClassificationMetric metric)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var list = predictions as IReadOnlyList<Prediction> ?? predictions.ToArray();
        Inputs.NotEmpty(list, nameof(predictions));
        return list.GroupBy(p => (p.Repeat, p.Fold))
            .OrderBy(g => g.Key.Repeat).ThenBy(g => g.Key.Fold)
            .Select(g => new FoldScore(g.Key.Repeat, g.Key.Fold, g.Count(), ConfusionMatrix.From(g.ToArray()).Evaluate(metric)))
            .ToArray();
    }

    /// <summary>
    /// Log loss (cross-entropy) from <see cref="Prediction.Probabilities"/>: −(1/N) Σ_i log p_i(truth_i), each row first
    /// normalised to sum 1 and each probability clipped to [ε, 1 − ε] with ε = 1e-15 (sklearn <c>log_loss</c> before 1.5).
    /// A class missing from a row's map has probability 0.
    /// </summary>
    /// <exception cref="MetricInputException">no predictions, a prediction without probabilities, or a negative/non-finite or all-zero row.</exception>
    public static double LogLoss(IReadOnlyList<Prediction> predictions)
    {
        Inputs.NotEmpty(predictions, nameof(predictions));
        const double eps = 1e-15;
        double sum = 0;
        for (int i = 0; i < predictions.Count; i++)
        {
            var row = Row(predictions[i], i);
            double total = row.Values.Sum();
            double p = row.TryGetValue(predictions[i].Truth, out var v) ? v / total : 0;
            sum -= Math.Log(Math.Clamp(p, eps, 1 - eps));
        }
        return sum / predictions.Count;
    }

    /// <summary>
    /// Top-k accuracy from <see cref="Prediction.Probabilities"/>: the fraction of predictions whose true class is among the
    /// k highest scores (ties broken by class name, ordinal) — sklearn <c>top_k_accuracy_score</c> up to tie handling.
    /// </summary>
    public static double TopKAccuracy(IReadOnlyList<Prediction> predictions, int k)
    {
        Inputs.NotEmpty(predictions, nameof(predictions));
        if (k < 1) throw new MetricInputException(nameof(k), $"k = {k} must be ≥ 1");
        int hits = 0;
        for (int i = 0; i < predictions.Count; i++)
        {
            var top = Row(predictions[i], i).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(k);
            if (top.Any(kv => kv.Key == predictions[i].Truth)) hits++;
        }
        return (double)hits / predictions.Count;
    }

    private static IReadOnlyDictionary<string, double> Row(Prediction p, int i)
    {
        var row = p.Probabilities ?? throw new MetricInputException("predictions", $"prediction {i} (clip '{p.ClipId}') has no probabilities");
        if (row.Count == 0 || row.Values.Any(v => !double.IsFinite(v) || v < 0) || row.Values.Sum() <= 0)
            throw new MetricInputException("predictions", $"prediction {i} (clip '{p.ClipId}') has probabilities that are empty, negative, non-finite or all zero");
        return row;
    }

    internal static string Name(this ClassificationMetric metric) => metric switch
    {
        ClassificationMetric.Accuracy => "accuracy",
        ClassificationMetric.MacroF1 => "macro-F1",
        ClassificationMetric.BalancedAccuracy => "balanced accuracy",
        ClassificationMetric.CohenKappa => "Cohen's κ",
        ClassificationMetric.WeightedF1 => "weighted F1",
        _ => metric.ToString(),
    };
}
