namespace HarmoniousFeedback.Plotting;

/// <summary>
/// A filled band between <see cref="Lower"/>[i] and <see cref="Upper"/>[i] over <see cref="X"/>[i] — e.g. mean ± std of
/// a training curve over folds. Drawn under the lines, at <see cref="Opacity"/>; NaN points break the band. Kept out of the
/// legend unless named.
/// </summary>
public sealed class BandSeries : Series
{
    public IReadOnlyList<double> X { get; }
    public IReadOnlyList<double> Lower { get; }
    public IReadOnlyList<double> Upper { get; }

    /// <summary>Fill opacity 0..1 (default 0.2).</summary>
    public double Opacity { get; set; } = 0.2;

    internal override string Kind => "band";

    public BandSeries(IReadOnlyList<double> x, IReadOnlyList<double> lower, IReadOnlyList<double> upper)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(lower); ArgumentNullException.ThrowIfNull(upper);
        if (x.Count != lower.Count || x.Count != upper.Count)
            throw new FigureException($"band series: x has {x.Count} values, lower {lower.Count} and upper {upper.Count}; they must match");
        X = x.ToArray(); Lower = lower.ToArray(); Upper = upper.ToArray();
    }
}
