using System.Globalization;

namespace HarmoniousFeedback.Evaluation;

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
