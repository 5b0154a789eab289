namespace HarmoniousFeedback.Plotting;

/// <summary>A text label at data coordinates (e.g. quadrant names "happy", "sad").</summary>
public sealed class TextAnnotation : Series
{
    public double X { get; }
    public double Y { get; }
    public string Text { get; }
    internal override string Kind => "text";

    public TextAnnotation(double x, double y, string text) { X = x; Y = y; Text = text ?? ""; }
}
