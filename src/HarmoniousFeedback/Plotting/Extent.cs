namespace HarmoniousFeedback.Plotting;

/// <summary>Data coordinates covered by a heatmap: columns span [X0, X1], rows span [Y0, Y1].</summary>
public readonly record struct Extent(double X0, double X1, double Y0, double Y1);
