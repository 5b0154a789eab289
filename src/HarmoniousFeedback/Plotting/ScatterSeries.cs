namespace HarmoniousFeedback.Plotting;

/// <summary>Points (X[i], Y[i]) — e.g. valence/arousal of clips, one series per class.</summary>
public sealed class ScatterSeries : Series
{
    public IReadOnlyList<double> X { get; }
    public IReadOnlyList<double> Y { get; }
    public MarkerShape Marker { get; set; } = MarkerShape.Circle;

    /// <summary>Marker radius in px (default 4).</summary>
    public double Size { get; set; } = 4;

    /// <summary>Fill opacity 0..1 (default 0.75) so overlapping points stay visible.</summary>
    public double Opacity { get; set; } = 0.75;

    internal override string Kind => "scatter";

    public ScatterSeries(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new FigureException($"scatter series: x has {x.Count} values but y has {y.Count}");
        X = x.ToArray(); Y = y.ToArray();
    }
}
