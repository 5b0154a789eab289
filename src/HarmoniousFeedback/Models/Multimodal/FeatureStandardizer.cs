using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>
/// Per-feature z-scoring of one modality, fitted on training rows only: z_j = (x_j − μ_j)/σ_j with μ, σ the mean and
/// population standard deviation of feature j over every training vector (a clip vector) or every valid step of every
/// training sequence; a feature constant on the training rows (σ &lt; 1e-6) keeps σ = 1 (centred, not scaled — sklearn's
/// <c>StandardScaler</c> rule). Statistics accumulate in double.
/// </summary>
public sealed class FeatureStandardizer
{
    public FeatureStandardizer(float[] mean, float[] std)
    {
        if (mean.Length != std.Length) throw new ShapeMismatchException($"standardizer has {mean.Length} means and {std.Length} standard deviations");
        Mean = mean;
        Std = std;
    }

    public float[] Mean { get; }
    public float[] Std { get; }
    public int Features => Mean.Length;

    /// <summary>Fits on the rows <paramref name="rows"/> of <paramref name="values"/> (each a float[F] or a FeatureMatrix [T × F]).</summary>
    public static FeatureStandardizer Fit(IReadOnlyList<object> values, IEnumerable<int> rows, int features)
    {
        var sum = new double[features];
        var sq = new double[features];
        long n = 0;
        foreach (var r in rows)
        {
            var (data, steps) = values[r] switch
            {
                float[] v => (v, 1),
                FeatureMatrix m => (m.Data, m.Rows),
                var o => throw new ShapeMismatchException($"row {r} is a {o.GetType().Name}, not a vector or sequence"),
            };
            for (int t = 0; t < steps; t++)
                for (int j = 0; j < features; j++)
                {
                    double x = data[t * features + j];
                    sum[j] += x;
                    sq[j] += x * x;
                }
            n += steps;
        }
        var mean = new float[features];
        var std = new float[features];
        for (int j = 0; j < features; j++)
        {
            double mu = n > 0 ? sum[j] / n : 0;
            double var = n > 0 ? Math.Max(0, sq[j] / n - mu * mu) : 0;
            mean[j] = (float)mu;
            double s = Math.Sqrt(var);
            std[j] = s < 1e-6 ? 1f : (float)s;
        }
        return new FeatureStandardizer(mean, std);
    }

    /// <summary>Writes z = (x − μ)/σ for one vector or step (<paramref name="x"/> and <paramref name="z"/> of length F).</summary>
    public void Apply(ReadOnlySpan<float> x, Span<float> z)
    {
        for (int j = 0; j < Mean.Length; j++) z[j] = (x[j] - Mean[j]) / Std[j];
    }
}
