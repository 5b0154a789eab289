namespace HarmoniousFeedback.Plotting;

/// <summary>A drawable data series of a <see cref="Figure"/>. <see cref="Name"/> (if set) appears in the legend.</summary>
public abstract class Series
{
    /// <summary>Legend entry; null keeps the series out of the legend.</summary>
    public string? Name { get; set; }

    /// <summary>"#rrggbb"; null = the next colour of <see cref="Palette.OkabeIto"/>.</summary>
    public string? Color { get; set; }

    internal abstract string Kind { get; }
}
