namespace HarmoniousFeedback.Plotting;

/// <summary>A polyline through (X[i], Y[i]) — training curves, learning curves. NaN points break the line.</summary>
public sealed class LineSeries : Series
{
    public IReadOnlyList<double> X { get; }
    public IReadOnlyList<double> Y { get; }

    /// <summary>Stroke width in px (default 2).</summary>
    public double StrokeWidth { get; set; } = 2;

    /// <summary>Dashed stroke (e.g. validation vs training curve).</summary>
    public bool Dashed { get; set; }

    /// <summary>Draw a small circle at each point.</summary>
    public bool Markers { get; set; }

    internal override string Kind => "line";

    public LineSeries(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new FigureException($"line series: x has {x.Count} values but y has {y.Count}");
        X = x.ToArray(); Y = y.ToArray();
    }
}
