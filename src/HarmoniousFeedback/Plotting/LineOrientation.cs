namespace HarmoniousFeedback.Plotting;

/// <summary>Orientation of a <see cref="ReferenceLine"/>.</summary>
public enum LineOrientation { Horizontal, Vertical }
