using HarmoniousFeedback.Models.Classical;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.Classical;

public class LinearDiscriminantAnalysisTests
{
    private static (double[][] X, int[] Y) Data() => SyntheticData.Blobs(11, 400, 5, 4, 1.0, 1.0);

    [Fact]
    public void Lsqr_and_eigen_solvers_give_the_same_discriminant_without_shrinkage()
    {
        // With an invertible within-class covariance both solve the same Gaussian model (W = M Σ⁻¹); they differ
        // only in numerics, so the probabilities agree to rounding.
        var (x, y) = Data();
        var lsqr = LinearDiscriminantAnalysis.Fit(x, y, new LdaOptions { Solver = LdaSolver.Lsqr }).PredictProba(x);
        var eigen = LinearDiscriminantAnalysis.Fit(x, y, new LdaOptions { Solver = LdaSolver.Eigen }).PredictProba(x);
        for (int i = 0; i < x.Length; i++)
            for (int c = 0; c < 4; c++) Assert.Equal(lsqr[i][c], eigen[i][c], 1e-9);
    }

    [Theory]
    [InlineData(LdaSolver.Lsqr)]
    [InlineData(LdaSolver.Svd)]
    public void Scores_are_the_gaussian_log_posterior_up_to_a_constant(LdaSolver solver)
    {
        // δ_1(x) − δ_0(x) = −½ Maha(x, μ_1) + ½ Maha(x, μ_0) (+ log π_1/π_0 = 0 here), checked against a direct
        // Mahalanobis computation on 2 features with Σ inverted by hand. As in scikit-learn, lsqr/eigen use
        // Σ = Σ_k π_k S_k (biased class covariances, i.e. scatter / n) while svd whitens with the pooled unbiased
        // covariance scatter / (n − k).
        var x = new double[][] { [0, 0], [1, 0.5], [2, 1.5], [3, 3], [4, 3.5], [5, 5.5], [1, 2], [2, 2] };
        var y = new[] { 0, 0, 0, 1, 1, 1, 0, 1 };
        var m = LinearDiscriminantAnalysis.Fit(x, y, new LdaOptions { Solver = solver });
        double[] pri = [0.5, 0.5];
        var mu = new double[2][];
        var s = new double[2, 2];
        for (int k = 0; k < 2; k++)
        {
            var rows = x.Where((_, i) => y[i] == k).ToArray();
            mu[k] = [rows.Average(r => r[0]), rows.Average(r => r[1])];
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++)
                    s[a, b] += pri[k] * rows.Average(r => (r[a] - mu[k][a]) * (r[b] - mu[k][b]));
        }
        double f = solver == LdaSolver.Svd ? 8.0 / (8 - 2) : 1.0;
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++) s[a, b] *= f;
        double det = s[0, 0] * s[1, 1] - s[0, 1] * s[1, 0];
        double[,] inv = { { s[1, 1] / det, -s[0, 1] / det }, { -s[1, 0] / det, s[0, 0] / det } };
        double Maha(double[] p, double[] q)
        {
            double d0 = p[0] - q[0], d1 = p[1] - q[1];
            return d0 * (inv[0, 0] * d0 + inv[0, 1] * d1) + d1 * (inv[1, 0] * d0 + inv[1, 1] * d1);
        }
        var dec = m.DecisionFunction(x);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = -0.5 * Maha(x[i], mu[1]) + 0.5 * Maha(x[i], mu[0]);
            Assert.Equal(expected, dec[i][1] - dec[i][0], 1e-9);
        }
    }

    [Fact]
    public void Auto_shrinkage_is_the_ledoit_wolf_estimate_and_helps_when_features_outnumber_rows()
    {
        // 30 rows, 40 features: the empirical covariance is singular; Ledoit–Wolf shrinkage makes it invertible.
        var (x, y) = SyntheticData.Blobs(3, 30, 40, 2, 1.0, 1.0);
        var m = LinearDiscriminantAnalysis.Fit(x, y, new LdaOptions { Solver = LdaSolver.Eigen, Shrinkage = LdaShrinkage.Auto });
        Assert.Equal(2, m.ShrinkageUsed.Count);
        Assert.All(m.ShrinkageUsed, a => Assert.InRange(a, 0.0, 1.0));
        Assert.Equal(y, m.Predict(x));
        Assert.Throws<TrainingDataException>(() => LinearDiscriminantAnalysis.Fit(x, y, new LdaOptions { Solver = LdaSolver.Eigen }));
    }

    [Fact]
    public void Priors_default_to_class_frequencies_and_probabilities_sum_to_one()
    {
        var x = new double[][] { [0.0], [0.2], [0.4], [3.0], [1.0] };
        var m = LinearDiscriminantAnalysis.Fit(x, [1, 1, 1, 2, 2]);
        Assert.Equal(new[] { 0.6, 0.4 }, m.Priors);
        foreach (var p in m.PredictProba(x)) Assert.Equal(1.0, p.Sum(), 12);
    }

    [Fact]
    public void Invalid_options_name_each_field_and_the_allowed_values()
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            new LdaOptions { Solver = LdaSolver.Svd, Shrinkage = LdaShrinkage.Of(1.5), Tol = -1 }.Validate());
        Assert.Equal(3, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.Contains("not supported with Solver = svd") && p.Contains("lsqr or eigen"));
        Assert.Contains(e.Problems, p => p.StartsWith("Shrinkage = 1.5") && p.Contains("[0, 1]"));
        Assert.Contains(e.Problems, p => p.StartsWith("Tol = -1"));
        var priors = Assert.Throws<ShapeMismatchException>(() => LinearDiscriminantAnalysis.Fit([[0.0], [1.0], [2.0]], [0, 1, 2], new LdaOptions { Priors = [0.5, 0.5] }));
        Assert.Contains("Priors has 2 entries but y has 3 classes", priors.Message);
    }
}
