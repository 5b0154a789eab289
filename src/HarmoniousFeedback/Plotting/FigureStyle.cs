namespace HarmoniousFeedback.Plotting;

/// <summary>Font family and sizes (px) of a figure; the defaults are readable at 100 % in a paper column and a notebook.</summary>
public sealed record FigureStyle
{
    public string FontFamily { get; init; } = "DejaVu Sans, Helvetica, Arial, sans-serif";
    public double TitleSize { get; init; } = 15;
    public double LabelSize { get; init; } = 13;
    public double TickSize { get; init; } = 11;
    public double LegendSize { get; init; } = 11;
    public string GridColor { get; init; } = "#e5e5e5";
    public string AxisColor { get; init; } = "#333333";
    public static FigureStyle Default { get; } = new();
}
