namespace HarmoniousFeedback.Plotting;

/// <summary>
/// One bar per category (the figure's x categories), optionally with symmetric error bars (±<see cref="Errors"/>,
/// e.g. the std over folds). Several bar series are drawn grouped side by side within each category.
/// </summary>
public sealed class BarSeries : Series
{
    public IReadOnlyList<double> Values { get; }
    public IReadOnlyList<double>? Errors { get; }
    internal override string Kind => "bar";

    public BarSeries(IReadOnlyList<double> values, IReadOnlyList<double>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (errors is not null && errors.Count != values.Count)
            throw new FigureException($"bar series: {errors.Count} error values for {values.Count} bars");
        if (errors is not null && errors.Any(e => e < 0 || double.IsNaN(e)))
            throw new FigureException("bar series: error bar half-widths must be ≥ 0");
        Values = values.ToArray(); Errors = errors?.ToArray();
    }
}
