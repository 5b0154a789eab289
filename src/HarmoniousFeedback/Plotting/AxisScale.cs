namespace HarmoniousFeedback.Plotting;

/// <summary>How data values map to positions along an axis.</summary>
public enum AxisScale
{
    /// <summary>Position proportional to the value.</summary>
    Linear,
    /// <summary>Position proportional to log10(value); all values must be &gt; 0.</summary>
    Log,
}
