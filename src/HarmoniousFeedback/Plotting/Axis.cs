namespace HarmoniousFeedback.Plotting;

/// <summary>
/// One axis of a <see cref="Figure"/>: label, scale, optional fixed limits, and optional category names (for bar charts
/// and heatmaps, where category i occupies the band [i, i+1)). Ticks are chosen with <see cref="Ticks"/>.
/// </summary>
public sealed class Axis
{
    /// <summary>Axis title, e.g. "Epoch" or "Accuracy (%)".</summary>
    public string? Label { get; set; }

    /// <summary>Linear (default) or log10.</summary>
    public AxisScale Scale { get; set; } = AxisScale.Linear;

    /// <summary>Fixed lower limit; null = from the data, widened to a nice number.</summary>
    public double? Min { get; set; }

    /// <summary>Fixed upper limit; null = from the data, widened to a nice number.</summary>
    public double? Max { get; set; }

    /// <summary>Category names; when set the axis is categorical (bars, heatmap rows/columns).</summary>
    public IReadOnlyList<string>? Categories { get; set; }

    /// <summary>Approximate number of ticks wanted on a numeric axis (default 6).</summary>
    public int TickCount { get; set; } = 6;

    /// <summary>.NET numeric format for tick labels; null = as many decimals as the tick step needs.</summary>
    public string? TickFormat { get; set; }
}
