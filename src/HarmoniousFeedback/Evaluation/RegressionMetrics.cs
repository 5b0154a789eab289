using System.Globalization;

namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Regression metrics for continuous targets (valence, arousal). With truth y, prediction ŷ, N samples,
/// means ȳ, m̂ and population variances/covariance (divisor N):
/// <list type="bullet">
/// <item>MSE = (1/N) Σ (y − ŷ)²; RMSE = √MSE; MAE = (1/N) Σ |y − ŷ| (sklearn <c>mean_squared_error</c>, <c>mean_absolute_error</c>).</item>
/// <item>Pearson r = cov(y, ŷ) / (σ_y σ_ŷ) (<c>scipy.stats.pearsonr</c>); NaN when either side is constant.</item>
/// <item>R² = 1 − Σ (y − ŷ)² / Σ (y − ȳ)² (sklearn <c>r2_score</c>); for constant y: 1 if the prediction is perfect, else 0
/// (sklearn's <c>force_finite=True</c>).</item>
/// <item>CCC = 2·cov(y, ŷ) / (σ_y² + σ_ŷ² + (ȳ − m̂)²) (Lin 1989, the AVEC/MediaEval emotion-regression measure, population
/// moments); NaN only when both sides are the same constant.</item>
/// </list>
/// </summary>
public sealed record RegressionMetrics(int Count, double Mse, double Rmse, double Mae, double PearsonR, double R2, double Ccc)
{
    /// <summary>Computes all metrics. Inputs must be the same non-zero length and finite.</summary>
    /// <exception cref="MetricInputException">lengths differ, empty input, or a non-finite value.</exception>
    public static RegressionMetrics Compute(IReadOnlyList<double> truth, IReadOnlyList<double> predicted)
    {
        Inputs.SameLength(truth, predicted);
        int n = truth.Count;
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(truth[i])) throw new MetricInputException(nameof(truth), $"value {truth[i]} at index {i} is not finite");
            if (!double.IsFinite(predicted[i])) throw new MetricInputException(nameof(predicted), $"value {predicted[i]} at index {i} is not finite");
        }
        double my = 0, mp = 0;
        for (int i = 0; i < n; i++) { my += truth[i]; mp += predicted[i]; }
        my /= n; mp /= n;
        double sse = 0, sae = 0, syy = 0, spp = 0, syp = 0;
        for (int i = 0; i < n; i++)
        {
            double e = truth[i] - predicted[i], dy = truth[i] - my, dp = predicted[i] - mp;
            sse += e * e; sae += Math.Abs(e); syy += dy * dy; spp += dp * dp; syp += dy * dp;
        }
        double mse = sse / n;
        double r = syy == 0 || spp == 0 ? double.NaN : syp / Math.Sqrt(syy * spp);
        double r2 = syy == 0 ? (sse == 0 ? 1 : 0) : 1 - sse / syy;
        double denom = syy / n + spp / n + (my - mp) * (my - mp);
        double ccc = denom == 0 ? double.NaN : 2 * (syp / n) / denom;
        return new RegressionMetrics(n, mse, Math.Sqrt(mse), sae / n, r, r2, ccc);
    }

    /// <summary>Float overload.</summary>
    public static RegressionMetrics Compute(IReadOnlyList<float> truth, IReadOnlyList<float> predicted)
        => Compute(truth.Select(x => (double)x).ToArray(), predicted.Select(x => (double)x).ToArray());

    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        return $"N={Count} MSE={Mse.ToString("0.####", c)} RMSE={Rmse.ToString("0.####", c)} MAE={Mae.ToString("0.####", c)} r={PearsonR.ToString("0.####", c)} R²={R2.ToString("0.####", c)} CCC={Ccc.ToString("0.####", c)}";
    }
}
