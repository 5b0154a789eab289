using System.Globalization;

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
