using HarmoniousFeedback.Evaluation;
using Xunit;

namespace HarmoniousFeedback.Tests.Evaluation;

public class RegressionMetricsTests
{
    [Fact]
    public void Matches_hand_computation_and_sklearn_scipy()
    {
        // y = 1 2 3 4, ŷ = 1.5 2 2.5 5: errors −.5 0 .5 −1 → SSE 1.5; ȳ = 2.5, m̂ = 2.75; Syy = 5, Spp = 7.25, Syp = 5.5
        var m = RegressionMetrics.Compute([1.0, 2, 3, 4], [1.5, 2, 2.5, 5]);
        Assert.Equal(0.375, m.Mse, 1e-12);              // sklearn mean_squared_error
        Assert.Equal(Math.Sqrt(0.375), m.Rmse, 1e-12);
        Assert.Equal(0.5, m.Mae, 1e-12);                 // sklearn mean_absolute_error
        Assert.Equal(0.7, m.R2, 1e-12);                  // 1 − 1.5/5
        Assert.Equal(5.5 / Math.Sqrt(5 * 7.25), m.PearsonR, 1e-12); // scipy 0.9135002783911398
        Assert.Equal(0.88, m.Ccc, 1e-12);                // 2·(5.5/4) / (5/4 + 7.25/4 + 0.25²) = 2.75/3.125
    }

    [Fact]
    public void Ccc_penalises_bias_that_pearson_ignores()
    {
        double[] y = [0.1, 0.4, -0.3, 0.8];
        var shifted = y.Select(v => v + 1).ToArray();
        var m = RegressionMetrics.Compute(y, shifted);
        Assert.Equal(1, m.PearsonR, 1e-12);
        Assert.True(m.Ccc < 0.5);
        Assert.Equal(1, RegressionMetrics.Compute(y, y).Ccc, 1e-12);
    }

    [Fact]
    public void Constant_inputs_and_bad_inputs()
    {
        var m = RegressionMetrics.Compute([2.0, 2, 2], [1.0, 2, 3]);
        Assert.True(double.IsNaN(m.PearsonR));
        Assert.Equal(0, m.R2);
        Assert.Throws<MetricInputException>(() => RegressionMetrics.Compute([1.0], [double.NaN]));
        Assert.Throws<MetricInputException>(() => RegressionMetrics.Compute([1.0, 2], [1.0]));
    }
}
