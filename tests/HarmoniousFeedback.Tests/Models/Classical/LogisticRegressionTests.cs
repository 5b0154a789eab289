using HarmoniousFeedback.Models.Classical;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.Classical;

public class LogisticRegressionTests
{
    /// <summary>∇ of Σ log-loss + ‖W‖²/(2C) at the fitted parameters, recomputed independently of the trainer.</summary>
    private static double MaxGradient(LogisticRegression m, double[][] x, int[] y)
    {
        int k = m.Classes.Count, d = x[0].Length;
        bool binomial = k == 2;
        var w = m.Coef;
        var gw = new double[k, d];
        var gb = new double[k];
        var proba = m.PredictProba(x);
        for (int i = 0; i < x.Length; i++)
            for (int c = 0; c < k; c++)
            {
                double r = proba[i][c] - (m.Classes[c] == y[i] ? 1 : 0);
                for (int j = 0; j < d; j++) gw[c, j] += r * x[i][j];
                gb[c] += r;
            }
        double max = 0;
        for (int c = binomial ? 1 : 0; c < k; c++)
        {
            for (int j = 0; j < d; j++) max = Math.Max(max, Math.Abs(gw[c, j] + w[c][j] / m.Options.C));
            max = Math.Max(max, Math.Abs(gb[c]));
        }
        return max;
    }

    [Theory]
    [InlineData(3, 1.0)]
    [InlineData(4, 0.05)]
    [InlineData(2, 10.0)]
    public void Fit_reaches_a_stationary_point_of_the_penalised_log_likelihood(int classes, double c)
    {
        var (x, y) = SyntheticData.Blobs(17, 300, 6, classes, 1.0, 1.0);
        var m = LogisticRegression.Fit(x, y, new LogisticRegressionOptions { C = c, MaxIter = 1000, Tol = 1e-6 });
        Assert.True(m.Converged, m.StopReason);
        // Stops at max|∇| ≤ 1e-6 or at a relative decrease ≤ 2.2e-9 (SciPy's ftol, which scikit-learn keeps); the
        // latter can leave gradient entries of ~1e-3 on these 100–400-nat objectives. A wrong gradient in the trainer
        // (missing penalty, wrong sign, intercept penalised) leaves entries of order |W|/C ≳ 0.1.
        double g = MaxGradient(m, x, y);
        Assert.True(g < 5e-3, $"max |gradient| = {g}");
    }

    [Fact]
    public void Binary_problems_use_the_binomial_model_like_scikit_learn()
    {
        var (x, y) = SyntheticData.Blobs(23, 200, 3, 2, 1.0, 1.0);
        var m = LogisticRegression.Fit(x, y, new LogisticRegressionOptions { MaxIter = 1000 });
        Assert.All(m.Coef[0], v => Assert.Equal(0.0, v));
        Assert.Equal(0.0, m.Intercept[0]);
        var p = m.PredictProba(x[..1])[0];
        double z = x[0].Select((v, j) => v * m.Coef[1][j]).Sum() + m.Intercept[1];
        Assert.Equal(1 / (1 + Math.Exp(-z)), p[1], 12);
    }

    [Fact]
    public void Stronger_regularisation_shrinks_the_weights()
    {
        var (x, y) = SyntheticData.Blobs(29, 200, 4, 3, 1.0, 1.0);
        double Norm(LogisticRegression m) => m.Coef.SelectMany(r => r).Sum(v => v * v);
        var loose = LogisticRegression.Fit(x, y, new LogisticRegressionOptions { C = 10, MaxIter = 500 });
        var tight = LogisticRegression.Fit(x, y, new LogisticRegressionOptions { C = 0.01, MaxIter = 500 });
        Assert.True(Norm(tight) < 0.1 * Norm(loose));
    }

    [Fact]
    public void Iteration_limit_is_reported_not_hidden()
    {
        var (x, y) = SyntheticData.Blobs(31, 300, 8, 3, 1.0, 1.0);
        var m = LogisticRegression.Fit(x, y, new LogisticRegressionOptions { MaxIter = 2, Tol = 1e-12 });
        Assert.False(m.Converged);
        Assert.Equal(2, m.Iterations);
        Assert.Contains("iteration limit", m.StopReason);
    }

    [Fact]
    public void Invalid_options_list_every_problem()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new LogisticRegressionOptions { C = 0, MaxIter = 0, Tol = double.NaN }.Validate());
        Assert.Equal(3, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("C = 0"));
        Assert.Contains(e.Problems, p => p.StartsWith("MaxIter = 0"));
        Assert.Contains(e.Problems, p => p.StartsWith("Tol = NaN"));
    }
}
