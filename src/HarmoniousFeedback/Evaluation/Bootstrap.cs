using System.Globalization;

namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Percentile bootstrap (Efron &amp; Tibshirani 1993, §13.3) on pooled predictions: draw B resamples of the N
/// predictions with replacement (seeded <see cref="DeterministicRandom"/>), compute the metric on each, and take the
/// α/2 and 1 − α/2 quantiles (linear interpolation between order statistics, numpy's default
/// <c>percentile(method="linear")</c>) with α = 1 − level.
/// </summary>
public static class Bootstrap
{
    /// <summary>Percentile CI of <paramref name="metric"/> on the pooled predictions.</summary>
    /// <param name="predictions">All predictions (folds/repeats pooled); resampling is over these items.</param>
    /// <param name="metric">Accuracy, macro-F1, ...; each replicate's classes are the union of its labels.</param>
    /// <param name="resamples">B ≥ 100 (default 2000).</param>
    /// <param name="level">Coverage in (0, 1) (default 0.95).</param>
    /// <param name="seed">Seed of the resampling; the same seed gives the same interval.</param>
    public static ConfidenceInterval PercentileCi(IReadOnlyList<Prediction> predictions, ClassificationMetric metric,
        int resamples = 2000, double level = 0.95, int seed = 0)
    {
        Inputs.NotEmpty(predictions, nameof(predictions));
        var truth = predictions.Select(p => p.Truth).ToArray();
        var pred = predictions.Select(p => p.Predicted).ToArray();
        var classes = Inputs.SortedLabels(truth.Concat(pred));
        return PercentileCi(predictions.Count, idx =>
        {
            var t = new string[idx.Length]; var p = new string[idx.Length];
            for (int i = 0; i < idx.Length; i++) { t[i] = truth[idx[i]]; p[i] = pred[idx[i]]; }
            // Classes of the replicate = labels present in it (as sklearn would score the resample).
            return ConfusionMatrix.From(t, p).Evaluate(metric);
        }, ConfusionMatrix.From(truth, pred, classes).Evaluate(metric), resamples, level, seed);
    }

    /// <summary>
    /// Generic percentile bootstrap: <paramref name="statistic"/> receives the resampled indices (length
    /// <paramref name="count"/>, drawn with replacement from 0..count−1).
    /// </summary>
    public static ConfidenceInterval PercentileCi(int count, Func<int[], double> statistic, double estimate,
        int resamples = 2000, double level = 0.95, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        var v = new OptionsValidator(nameof(Bootstrap));
        v.Check(count > 0, $"count = {count} must be > 0");
        v.Check(resamples >= 100, $"resamples = {resamples} must be ≥ 100 (a percentile interval from fewer replicates is too coarse)");
        v.Check(level > 0 && level < 1, $"level = {level.ToString(CultureInfo.InvariantCulture)} must be in (0, 1)");
        v.ThrowIfAny();
        var rng = new DeterministicRandom(seed);
        var stats = new double[resamples];
        var idx = new int[count];
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < count; i++) idx[i] = rng.NextInt(count);
            stats[b] = statistic(idx);
        }
        Array.Sort(stats);
        double alpha = 1 - level;
        return new ConfidenceInterval(estimate, Quantile(stats, alpha / 2), Quantile(stats, 1 - alpha / 2), level, resamples);
    }

    /// <summary>Quantile q of sorted data with linear interpolation: position h = (n − 1)·q (numpy "linear").</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) throw new MetricInputException(nameof(sorted), "is empty");
        double h = (sorted.Count - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
