using System.Globalization;
using MathNet.Numerics.Distributions;

namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Mean ± sample standard deviation of a metric over folds or repeats: mean = (1/n) Σ x_i,
/// std = √( Σ (x_i − mean)² / (n − 1) ) (Bessel-corrected, numpy <c>std(ddof=1)</c>); NaN for n = 1.
/// </summary>
public sealed record Summary(double Mean, double Std, int Count, double Min, double Max)
{
    /// <summary>Summarises the values; throws <see cref="MetricInputException"/> when empty or non-finite.</summary>
    public static Summary Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var x = values.ToArray();
        if (x.Length == 0) throw new MetricInputException(nameof(values), "is empty; mean ± std needs at least one value");
        for (int i = 0; i < x.Length; i++)
            if (!double.IsFinite(x[i])) throw new MetricInputException(nameof(values), $"value {x[i]} at index {i} is not finite");
        double mean = x.Average();
        double ss = 0;
        foreach (var v in x) ss += (v - mean) * (v - mean);
        double std = x.Length > 1 ? Math.Sqrt(ss / (x.Length - 1)) : double.NaN;
        return new Summary(mean, std, x.Length, x.Min(), x.Max());
    }

    /// <summary>"mean ± std" with <paramref name="format"/> and an optional scale (100 for percent); "mean" alone when n = 1.</summary>
    public string Format(string format = "0.000", double scale = 1)
    {
        var c = CultureInfo.InvariantCulture;
        return double.IsNaN(Std) ? (scale * Mean).ToString(format, c) : (scale * Mean).ToString(format, c) + " ± " + (scale * Std).ToString(format, c);
    }

    public override string ToString() => Format();
}

/// <summary>A two-sided confidence interval around a point estimate.</summary>
/// <param name="Estimate">The statistic on the original sample.</param>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="Level">Coverage, e.g. 0.95.</param>
/// <param name="Resamples">Bootstrap replicates B used.</param>
public sealed record ConfidenceInterval(double Estimate, double Lower, double Upper, double Level, int Resamples)
{
    /// <summary>"[lower, upper]" with <paramref name="format"/> and an optional scale (100 for percent).</summary>
    public string Format(string format = "0.000", double scale = 1)
    {
        var c = CultureInfo.InvariantCulture;
        return "[" + (scale * Lower).ToString(format, c) + ", " + (scale * Upper).ToString(format, c) + "]";
    }

    public override string ToString() => Format();
}

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

/// <summary>How a McNemar p-value was obtained.</summary>
public enum McNemarMethod
{
    /// <summary>Exact two-sided binomial test on the discordant pairs: p = min(1, 2·P[X ≤ min(b, c)]), X ~ Bin(b + c, ½).</summary>
    ExactBinomial,
    /// <summary>χ² with Edwards' continuity correction: χ² = (|b − c| − 1)² / (b + c), 1 degree of freedom.</summary>
    ChiSquareCorrected,
}

/// <summary>Result of McNemar's test. <c>B</c> = pairs A right / B wrong, <c>C</c> = A wrong / B right.</summary>
public sealed record McNemarResult(int BothCorrect, int B, int C, int BothWrong, double Statistic, double PValue, McNemarMethod Method);

/// <summary>A Nadeau–Bengio corrected resampled t-test result (two-sided).</summary>
/// <param name="MeanDifference">d̄ = mean over units of (score A − score B).</param>
/// <param name="T">t statistic.</param>
/// <param name="DegreesOfFreedom">J − 1.</param>
/// <param name="PValue">Two-sided p-value from Student's t.</param>
/// <param name="Units">J, the number of (repeat, fold) units.</param>
public sealed record CorrectedTTestResult(double MeanDifference, double T, int DegreesOfFreedom, double PValue, int Units);

/// <summary>Paired significance tests between two models.</summary>
public static class SignificanceTests
{
    /// <summary>
    /// McNemar's test (McNemar 1947; Dietterich 1998) on paired correctness. With b = #(A correct, B wrong) and
    /// c = #(A wrong, B correct): if b + c &lt; <paramref name="exactBelow"/> (default 25, as in
    /// <c>statsmodels.stats.contingency_tables.mcnemar</c> advice) the exact binomial test is used,
    /// p = min(1, 2·Σ_{i≤min(b,c)} C(b+c, i)/2^(b+c)); otherwise χ² = (|b − c| − 1)²/(b + c) with 1 degree of freedom
    /// and p = P[χ²₁ ≥ χ²]. b + c = 0 gives p = 1.
    /// </summary>
    public static McNemarResult McNemar(IReadOnlyList<bool> correctA, IReadOnlyList<bool> correctB, int exactBelow = 25)
    {
        Inputs.SameLength(correctA, correctB, nameof(correctA), nameof(correctB));
        int n11 = 0, b = 0, c = 0, n00 = 0;
        for (int i = 0; i < correctA.Count; i++)
        {
            if (correctA[i] && correctB[i]) n11++;
            else if (correctA[i]) b++;
            else if (correctB[i]) c++;
            else n00++;
        }
        return McNemar(n11, b, c, n00, exactBelow);
    }

    /// <summary>McNemar's test from the 2×2 table of paired correctness counts.</summary>
    public static McNemarResult McNemar(int bothCorrect, int b, int c, int bothWrong, int exactBelow = 25)
    {
        if (b < 0 || c < 0 || bothCorrect < 0 || bothWrong < 0)
            throw new MetricInputException("counts", $"must be ≥ 0 (bothCorrect={bothCorrect}, b={b}, c={c}, bothWrong={bothWrong})");
        int n = b + c;
        if (n == 0) return new McNemarResult(bothCorrect, b, c, bothWrong, 0, 1, McNemarMethod.ExactBinomial);
        if (n < exactBelow)
        {
            double p = Math.Min(1.0, 2 * Binomial.CDF(0.5, n, Math.Min(b, c)));
            return new McNemarResult(bothCorrect, b, c, bothWrong, Math.Min(b, c), p, McNemarMethod.ExactBinomial);
        }
        double d = Math.Abs(b - c) - 1.0;
        double chi2 = d <= 0 ? 0 : d * d / n;
        return new McNemarResult(bothCorrect, b, c, bothWrong, chi2, 1 - ChiSquared.CDF(1, chi2), McNemarMethod.ChiSquareCorrected);
    }

    /// <summary>
    /// McNemar's test on two models' predictions, paired by (repeat, clip id). With several repeats every clip
    /// occurs once per repeat and the pairs are not independent; pass <paramref name="repeat"/> to test one repeat.
    /// </summary>
    /// <exception cref="MetricInputException">the two sets do not contain the same (repeat, clip) keys, or a key repeats.</exception>
    public static McNemarResult McNemar(IReadOnlyList<Prediction> modelA, IReadOnlyList<Prediction> modelB, int? repeat = null, int exactBelow = 25)
    {
        var (a, b) = Pair(modelA, modelB, repeat);
        return McNemar(a.Select(p => p.IsCorrect).ToArray(), b.Select(p => p.IsCorrect).ToArray(), exactBelow);
    }

    internal static (Prediction[] A, Prediction[] B) Pair(IReadOnlyList<Prediction> modelA, IReadOnlyList<Prediction> modelB, int? repeat)
    {
        Inputs.NotEmpty(modelA, nameof(modelA));
        Inputs.NotEmpty(modelB, nameof(modelB));
        var a = repeat is null ? modelA.ToArray() : modelA.Where(p => p.Repeat == repeat).ToArray();
        var bmap = new Dictionary<(int, string), Prediction>();
        foreach (var p in modelB)
            if (repeat is null || p.Repeat == repeat)
                if (!bmap.TryAdd((p.Repeat, p.ClipId), p))
                    throw new MetricInputException(nameof(modelB), $"clip '{p.ClipId}' occurs twice in repeat {p.Repeat}");
        if (a.Length == 0) throw new MetricInputException(nameof(modelA), $"has no predictions{(repeat is null ? "" : $" in repeat {repeat}")}");
        if (a.Length != bmap.Count)
            throw new MetricInputException(nameof(modelB), $"has {bmap.Count} predictions but modelA has {a.Length}; paired tests need the same clips");
        var b = new Prediction[a.Length];
        var seen = new HashSet<(int, string)>();
        for (int i = 0; i < a.Length; i++)
        {
            var key = (a[i].Repeat, a[i].ClipId);
            if (!seen.Add(key)) throw new MetricInputException(nameof(modelA), $"clip '{a[i].ClipId}' occurs twice in repeat {a[i].Repeat}");
            if (!bmap.TryGetValue(key, out var match))
                throw new MetricInputException(nameof(modelB), $"has no prediction for clip '{a[i].ClipId}' in repeat {a[i].Repeat}");
            b[i] = match;
            if (!string.Equals(a[i].Truth, b[i].Truth, StringComparison.Ordinal))
                throw new MetricInputException(nameof(modelB), $"clip '{a[i].ClipId}' has truth '{b[i].Truth}' but modelA says '{a[i].Truth}'");
        }
        return (a, b);
    }

    /// <summary>
    /// Nadeau &amp; Bengio's (2003) corrected resampled t-test on paired per-unit scores (Bouckaert &amp; Frank 2004 for
    /// repeated k-fold). With d_j = a_j − b_j over J units, d̄ their mean and σ̂² their sample variance (n − 1):
    /// t = d̄ / √((1/J + n_test/n_train)·σ̂²), J − 1 degrees of freedom, p = 2·P[T ≥ |t|]. The n_test/n_train term
    /// corrects the variance for the overlap of training sets between folds. σ̂² = 0 gives t = 0 (p = 1) when d̄ = 0
    /// and t = ±∞ (p = 0) otherwise.
    /// </summary>
    /// <param name="scoresA">Model A's score per unit.</param>
    /// <param name="scoresB">Model B's score per unit, same order.</param>
    /// <param name="trainCount">n_train, samples in a training set (per unit; the average when folds differ).</param>
    /// <param name="testCount">n_test, samples in a test set.</param>
    public static CorrectedTTestResult NadeauBengio(IReadOnlyList<double> scoresA, IReadOnlyList<double> scoresB, double trainCount, double testCount)
    {
        Inputs.SameLength(scoresA, scoresB, nameof(scoresA), nameof(scoresB));
        var v = new OptionsValidator("NadeauBengio");
        v.Check(scoresA.Count >= 2, $"units = {scoresA.Count} must be ≥ 2 (the test needs a variance over folds)");
        v.Positive("trainCount", trainCount);
        v.Positive("testCount", testCount);
        v.ThrowIfAny();
        int j = scoresA.Count;
        var d = new double[j];
        for (int i = 0; i < j; i++) d[i] = scoresA[i] - scoresB[i];
        double mean = d.Average();
        double ss = 0;
        foreach (var x in d) ss += (x - mean) * (x - mean);
        double var = ss / (j - 1);
        double t;
        if (var == 0) t = mean == 0 ? 0 : (mean > 0 ? double.PositiveInfinity : double.NegativeInfinity);
        else t = mean / Math.Sqrt((1.0 / j + testCount / trainCount) * var);
        double p = double.IsInfinity(t) ? 0 : Math.Min(1, 2 * (1 - StudentT.CDF(0, 1, j - 1, Math.Abs(t))));
        return new CorrectedTTestResult(mean, t, j - 1, p, j);
    }

    /// <summary>
    /// The corrected t-test on two models' predictions: per (repeat, fold) scores of <paramref name="metric"/>,
    /// paired by unit. n_test = mean test-fold size; n_train = (predictions per repeat) − n_test, i.e. k-fold where a
    /// fold trains on all other folds; pass <paramref name="trainCount"/> when training used fewer samples.
    /// </summary>
    public static CorrectedTTestResult NadeauBengio(IReadOnlyList<Prediction> modelA, IReadOnlyList<Prediction> modelB,
        ClassificationMetric metric, double? trainCount = null)
    {
        Pair(modelA, modelB, null); // same clips in both, consistent truth
        var fa = ClassificationMetrics.ByFold(modelA, metric);
        var fb = ClassificationMetrics.ByFold(modelB, metric);
        if (fa.Count != fb.Count || fa.Zip(fb).Any(x => x.First.Repeat != x.Second.Repeat || x.First.Fold != x.Second.Fold))
            throw new MetricInputException(nameof(modelB), "its (repeat, fold) units differ from modelA's; the models must be evaluated on the same splits");
        double nTest = fa.Average(f => (double)f.TestCount);
        double perRepeat = modelA.Count / (double)modelA.Select(p => p.Repeat).Distinct().Count();
        double nTrain = trainCount ?? perRepeat - nTest;
        return NadeauBengio(fa.Select(f => f.Value).ToArray(), fb.Select(f => f.Value).ToArray(), nTrain, nTest);
    }
}
