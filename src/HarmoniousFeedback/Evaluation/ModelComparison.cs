namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Pairwise significance tests between several models evaluated on the same splits: for every pair (in the given
/// order), McNemar's test on the predictions of one repeat (pairs across repeats are not independent) and, when there
/// are at least two (repeat, fold) units, the Nadeau–Bengio corrected resampled t-test on the per-unit metric.
/// No multiple-comparison correction is applied; report the number of comparisons alongside.
/// </summary>
public sealed class ModelComparison
{
    /// <summary>Model names in the order given.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>Metric used for the scores and the t-test.</summary>
    public ClassificationMetric Metric { get; }

    /// <summary>Per model, the metric summarised over (repeat, fold) units.</summary>
    public IReadOnlyDictionary<string, Summary> Scores { get; }

    /// <summary>The model with the highest mean score (first in order on ties).</summary>
    public string Best { get; }

    /// <summary>The repeat whose predictions McNemar's test used.</summary>
    public int McNemarRepeat { get; }

    /// <summary>Every unordered pair, A before B in the given model order.</summary>
    public IReadOnlyList<PairwiseComparison> Pairs { get; }

    private ModelComparison(IReadOnlyList<string> models, ClassificationMetric metric, IReadOnlyDictionary<string, Summary> scores,
        string best, int repeat, IReadOnlyList<PairwiseComparison> pairs)
    {
        Models = models; Metric = metric; Scores = scores; Best = best; McNemarRepeat = repeat; Pairs = pairs;
    }

    /// <summary>Runs all pairwise tests.</summary>
    /// <param name="models">Model name → its predictions (same clips, same (repeat, fold) units for all).</param>
    /// <param name="metric">Metric for scores and the t-test (default accuracy).</param>
    /// <param name="mcNemarRepeat">Repeat used by McNemar (default: the smallest repeat index present).</param>
    /// <param name="trainCount">n_train for the corrected t-test (default: derived, see <see cref="SignificanceTests.NadeauBengio(IReadOnlyList{Prediction}, IReadOnlyList{Prediction}, ClassificationMetric, double?)"/>).</param>
    /// <exception cref="MetricInputException">fewer than two models, or models not evaluated on the same clips/units.</exception>
    public static ModelComparison Compare(IEnumerable<KeyValuePair<string, IReadOnlyList<Prediction>>> models,
        ClassificationMetric metric = ClassificationMetric.Accuracy, int? mcNemarRepeat = null, double? trainCount = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        var list = models.ToArray();
        if (list.Length < 2) throw new MetricInputException(nameof(models), $"has {list.Length} model(s); a comparison needs at least 2");
        var dup = list.GroupBy(m => m.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new MetricInputException(nameof(models), $"model name '{dup.Key}' occurs twice");
        foreach (var m in list) Inputs.NotEmpty(m.Value, $"models[{m.Key}]");
        var scores = list.ToDictionary(m => m.Key, m => Summary.Of(ClassificationMetrics.ByFold(m.Value, metric).Select(f => f.Value)), StringComparer.Ordinal);
        string best = list[0].Key;
        foreach (var m in list) if (scores[m.Key].Mean > scores[best].Mean) best = m.Key;
        int repeat = mcNemarRepeat ?? list[0].Value.Min(p => p.Repeat);
        int units = ClassificationMetrics.ByFold(list[0].Value, metric).Count;
        var pairs = new List<PairwiseComparison>();
        for (int i = 0; i < list.Length; i++)
            for (int j = i + 1; j < list.Length; j++)
            {
                var mc = SignificanceTests.McNemar(list[i].Value, list[j].Value, repeat);
                var t = units >= 2 ? SignificanceTests.NadeauBengio(list[i].Value, list[j].Value, metric, trainCount) : null;
                pairs.Add(new PairwiseComparison(list[i].Key, list[j].Key, scores[list[i].Key].Mean, scores[list[j].Key].Mean, mc, t));
            }
        return new ModelComparison(list.Select(m => m.Key).ToArray(), metric, scores, best, repeat, pairs);
    }

    /// <summary>The comparison of <paramref name="model"/> with <see cref="Best"/> (oriented best = A), or null for the best itself.</summary>
    public PairwiseComparison? VersusBest(string model)
    {
        if (!Models.Contains(model, StringComparer.Ordinal)) throw new MetricInputException(nameof(model), $"'{model}' is not one of [{string.Join(", ", Models)}]");
        if (model == Best) return null;
        return Pairs.First(p => (p.ModelA == Best && p.ModelB == model) || (p.ModelA == model && p.ModelB == Best));
    }

    /// <summary>Plain-text listing of the pairwise tests.</summary>
    public override string ToString()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"{Metric.Name()}: best = {Best}");
        foreach (var p in Pairs)
        {
            sb.Append($"{p.ModelA} vs {p.ModelB}: {p.ScoreA.ToString("0.0000", c)} vs {p.ScoreB.ToString("0.0000", c)}; McNemar b={p.McNemar.B} c={p.McNemar.C} p={p.McNemar.PValue.ToString("0.0000", c)} ({p.McNemar.Method})");
            if (p.CorrectedT is { } t) sb.Append($"; corrected t({t.DegreesOfFreedom})={t.T.ToString("0.000", c)} p={t.PValue.ToString("0.0000", c)}");
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
