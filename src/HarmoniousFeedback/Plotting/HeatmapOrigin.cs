namespace HarmoniousFeedback.Plotting;

/// <summary>Where row 0 of a heatmap is drawn.</summary>
public enum HeatmapOrigin
{
    /// <summary>Row 0 at the top (matrices: confusion matrices).</summary>
    Top,
    /// <summary>Row 0 at the bottom (images with a frequency axis: spectrograms).</summary>
    Bottom,
}
