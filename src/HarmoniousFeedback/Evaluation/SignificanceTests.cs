using MathNet.Numerics.Distributions;

namespace HarmoniousFeedback.Evaluation;

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
    /// corrects the variance for the overlap of training sets between folds. When the differences do not vary (σ̂² ≤
    /// (10⁻⁹·max_j |d_j|)², i.e. zero up to float rounding) the statistic is undefined: t = 0 and p = 1 when every d_j = 0,
    /// and t = p = NaN otherwise (shown as "—") — e.g. two folds that each favour one model by the same one clip, which
    /// would otherwise give |t| ≈ 10¹⁵ and a "significant" p from rounding noise.
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
        double largest = d.Max(Math.Abs);
        if (largest == 0) return new CorrectedTTestResult(0, 0, j - 1, 1, j);                   // identical scores: no difference
        if (var <= 1e-18 * largest * largest) return new CorrectedTTestResult(mean, double.NaN, j - 1, double.NaN, j);   // no variance: undefined
        double t = mean / Math.Sqrt((1.0 / j + testCount / trainCount) * var);
        double p = Math.Min(1, 2 * (1 - StudentT.CDF(0, 1, j - 1, Math.Abs(t))));
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
