namespace HarmoniousFeedback.Plotting;

/// <summary>A dashed line across the plot at a fixed value — quadrant lines at valence = 0 and arousal = 0, a chance level.</summary>
public sealed class ReferenceLine : Series
{
    public LineOrientation Orientation { get; }
    public double Value { get; }
    internal override string Kind => "reference";

    public ReferenceLine(LineOrientation orientation, double value)
    {
        if (!double.IsFinite(value)) throw new FigureException($"reference line at {value} is not finite");
        Orientation = orientation; Value = value;
    }
}
