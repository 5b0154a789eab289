namespace HarmoniousFeedback.Plotting;

/// <summary>Where the legend is drawn.</summary>
public enum LegendPosition { TopRight, TopLeft, BottomRight, BottomLeft, OutsideRight, None }
