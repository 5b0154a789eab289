using HarmoniousFeedback.Evaluation;
using Xunit;

namespace HarmoniousFeedback.Tests.Evaluation;

/// <summary>Reference p-values from scipy 1.10.1: stats.binom.cdf, stats.chi2.sf, stats.t.sf.</summary>
public class StatisticsTests
{
    [Fact]
    public void Summary_uses_sample_std()
    {
        var s = Summary.Of([0.8, 0.82, 0.78, 0.85, 0.80]);
        Assert.Equal(0.81, s.Mean, 1e-12);
        // deviations −.01 .01 −.03 .04 −.01 → Σd² = 0.0028, /4 = 0.0007
        Assert.Equal(Math.Sqrt(0.0007), s.Std, 1e-12);
        Assert.Equal("81.0 ± 2.6", s.Format("F1", 100));
        Assert.True(double.IsNaN(Summary.Of([0.5]).Std));
        Assert.Equal("0.500", Summary.Of([0.5]).Format());
        Assert.Throws<MetricInputException>(() => Summary.Of([]));
    }

    [Fact]
    public void McNemar_exact_for_few_discordant_pairs()
    {
        // b = 2, c = 8: p = 2·P[X ≤ 2], X ~ Bin(10, ½) = 2·(1 + 10 + 45)/1024 = 0.109375
        var r = SignificanceTests.McNemar(50, 2, 8, 10);
        Assert.Equal(McNemarMethod.ExactBinomial, r.Method);
        Assert.Equal(0.109375, r.PValue, 1e-12);
        Assert.Equal(1.0, SignificanceTests.McNemar(5, 3, 3, 1).PValue, 1e-12); // symmetric: 2·P[X≤3 | n=6] > 1 → 1
        Assert.Equal(1.0, SignificanceTests.McNemar(9, 0, 0, 1).PValue);
    }

    [Fact]
    public void McNemar_chi_square_with_continuity_correction()
    {
        // b = 10, c = 25: χ² = (15 − 1)²/35 = 5.6; scipy chi2.sf(5.6, 1) = 0.01796047752607879
        var r = SignificanceTests.McNemar(100, 10, 25, 5);
        Assert.Equal(McNemarMethod.ChiSquareCorrected, r.Method);
        Assert.Equal(5.6, r.Statistic, 1e-12);
        Assert.Equal(0.01796047752607879, r.PValue, 1e-9);
    }

    [Fact]
    public void McNemar_pairs_predictions_by_clip_and_checks_them()
    {
        var a = new[] { P("c1", "x", "x"), P("c2", "y", "y"), P("c3", "x", "y") };
        var b = new[] { P("c3", "x", "x"), P("c1", "x", "y"), P("c2", "y", "y") }; // other order
        var r = SignificanceTests.McNemar(a, b);
        Assert.Equal((1, 1, 1, 0), (r.BothCorrect, r.B, r.C, r.BothWrong));
        var e = Assert.Throws<MetricInputException>(() => SignificanceTests.McNemar(a, b[..2]));
        Assert.Equal("modelB", e.Argument);
        var wrongTruth = new[] { P("c3", "y", "x"), P("c1", "x", "y"), P("c2", "y", "y") };
        Assert.Contains("truth", Assert.Throws<MetricInputException>(() => SignificanceTests.McNemar(a, wrongTruth)).Message);
    }

    [Fact]
    public void Nadeau_Bengio_matches_hand_computation_and_scipy()
    {
        // d = .05 .02 .02 .05 .01: d̄ = .03, s² = .0014/4 = .00035; t = .03/√((1/5 + 20/80)·.00035) = 2.3904572186687876
        // scipy: 2·t.sf(2.3904572186687876, 4) = 0.07513045462522974
        var r = SignificanceTests.NadeauBengio([0.8, 0.82, 0.78, 0.85, 0.80], [0.75, 0.80, 0.76, 0.80, 0.79], 80, 20);
        Assert.Equal(0.03, r.MeanDifference, 1e-12);
        Assert.Equal(2.3904572186687876, r.T, 1e-9);
        Assert.Equal(4, r.DegreesOfFreedom);
        Assert.Equal(0.07513045462522974, r.PValue, 1e-9);
        // the correction makes the test more conservative than the naive paired t-test (n_test/n_train = 0)
        var naive = SignificanceTests.NadeauBengio([0.8, 0.82, 0.78, 0.85, 0.80], [0.75, 0.80, 0.76, 0.80, 0.79], 1e12, 1e-12);
        Assert.True(naive.PValue < r.PValue);
        Assert.Equal(1, SignificanceTests.NadeauBengio([0.5, 0.5], [0.5, 0.5], 10, 10).PValue);
        // the same difference in every unit: no variance, the statistic is undefined (not "p = 0"), also when the
        // differences agree only up to float rounding ((0.1 + 0.2) − 0.2 and 0.3 − 0.2 differ by 5.6e-17: |t| ≈ 1e15 before)
        Assert.True(double.IsNaN(SignificanceTests.NadeauBengio([0.6, 0.6], [0.5, 0.5], 10, 10).PValue));
        double[] a = [0.1 + 0.2, 0.3], b = [0.2, 0.2];
        Assert.NotEqual(a[0] - b[0], a[1] - b[1]);
        var rounding = SignificanceTests.NadeauBengio(a, b, 7, 7);
        Assert.True(double.IsNaN(rounding.T) && double.IsNaN(rounding.PValue), $"t = {rounding.T}, p = {rounding.PValue}");
        Assert.Equal(0.1, rounding.MeanDifference, 1e-12);
        Assert.Throws<OptionsValidationException>(() => SignificanceTests.NadeauBengio([0.5], [0.4], 10, 10));
    }

    [Fact]
    public void Nadeau_Bengio_from_predictions_derives_train_and_test_sizes()
    {
        // 2 folds × 4 clips; A right everywhere, B wrong on one clip of fold 0 and two of fold 1
        var a = new List<Prediction>(); var b = new List<Prediction>();
        for (int i = 0; i < 8; i++)
        {
            string t = i % 2 == 0 ? "x" : "y";
            a.Add(new Prediction("c" + i, i / 4, 0, t, t));
            bool wrong = i == 0 || i == 4 || i == 5;
            b.Add(new Prediction("c" + i, i / 4, 0, t, wrong ? (t == "x" ? "y" : "x") : t));
        }
        var r = SignificanceTests.NadeauBengio(a, b, ClassificationMetric.Accuracy);
        // scores A = 1, 1; B = .75, .5 → d = .25, .5; d̄ = .375, s² = .03125; n_test = 4, n_train = 8 − 4 = 4
        var expected = SignificanceTests.NadeauBengio([1.0, 1.0], [0.75, 0.5], 4, 4);
        Assert.Equal(expected.T, r.T, 1e-12);
        Assert.Equal(0.375 / Math.Sqrt((0.5 + 1) * 0.03125), r.T, 1e-12);
    }

    [Fact]
    public void Bootstrap_is_seeded_and_brackets_the_estimate()
    {
        var preds = Enumerable.Range(0, 200).Select(i => new Prediction("c" + i, 0, 0, i % 3 == 0 ? "x" : "y", i % 5 == 0 ? "x" : "y")).ToArray();
        var ci1 = Bootstrap.PercentileCi(preds, ClassificationMetric.Accuracy, 1000, 0.95, seed: 42);
        var ci2 = Bootstrap.PercentileCi(preds, ClassificationMetric.Accuracy, 1000, 0.95, seed: 42);
        Assert.Equal(ci1, ci2);
        // accuracy quantiles fall on multiples of 1/200, so compare a continuous statistic across seeds
        var f1a = Bootstrap.PercentileCi(preds, ClassificationMetric.MacroF1, 1000, 0.95, seed: 42);
        var f1b = Bootstrap.PercentileCi(preds, ClassificationMetric.MacroF1, 1000, 0.95, seed: 43);
        Assert.NotEqual(f1a, f1b);
        double acc = preds.Count(p => p.IsCorrect) / 200.0;
        Assert.Equal(acc, ci1.Estimate, 1e-12);
        Assert.True(ci1.Lower < acc && acc < ci1.Upper);
        // normal approximation of a proportion's CI half-width: 1.96·√(p(1−p)/n); percentile bootstrap agrees within ~25 %
        double half = 1.96 * Math.Sqrt(acc * (1 - acc) / 200);
        Assert.InRange((ci1.Upper - ci1.Lower) / 2, 0.75 * half, 1.25 * half);
        Assert.Throws<OptionsValidationException>(() => Bootstrap.PercentileCi(preds, ClassificationMetric.Accuracy, 10));
    }

    [Fact]
    public void Quantile_is_numpy_linear()
    {
        double[] x = [1, 2, 3, 4];
        Assert.Equal(1.75, Bootstrap.Quantile(x, 0.25), 1e-12); // numpy.percentile([1,2,3,4], 25) = 1.75
        Assert.Equal(4, Bootstrap.Quantile(x, 1), 1e-12);
    }

    [Fact]
    public void ModelComparison_runs_pairwise_tests_and_finds_best()
    {
        var models = Synthetic.Models(seed: 1);
        var cmp = ModelComparison.Compare(models);
        Assert.Equal(3, cmp.Pairs.Count);
        Assert.Equal("strong", cmp.Best);
        var vs = cmp.VersusBest("weak")!;
        Assert.NotNull(vs.CorrectedT);
        Assert.True(vs.McNemar.PValue < 0.05);
        Assert.Null(cmp.VersusBest("strong"));
        Assert.Throws<MetricInputException>(() => ModelComparison.Compare(models.Take(1)));
    }

    private static Prediction P(string id, string truth, string pred) => new(id, 0, 0, truth, pred);
}
