namespace HarmoniousFeedback.Evaluation;

/// <summary>A labelled time span (s): an event to detect (truth) or a detection (prediction).</summary>
public sealed record LabelledSpan(string Label, double Start, double End)
{
    /// <summary>Temporal intersection over union (spans shorter than 10 ms count as 10 ms long).</summary>
    public double Iou(LabelledSpan other)
    {
        double a1 = Math.Max(End, Start + 0.01), b1 = Math.Max(other.End, other.Start + 0.01);
        double inter = Math.Max(0, Math.Min(a1, b1) - Math.Max(Start, other.Start));
        double union = Math.Max(a1, b1) - Math.Min(Start, other.Start);
        return union > 0 ? inter / union : 0;
    }
}
