using System.Text.Json.Serialization;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// A time span of a performance with an issue in one feedback dimension: a planted deviation (truth) or a run of frames
/// the model flags (prediction).
/// </summary>
/// <param name="Dimension">Index in <see cref="HarmoniousFeedbackNetwork.Dimensions"/> (0 = pitch … 5 = completeness).</param>
/// <param name="Start">Start in the performance's audio (s).</param>
/// <param name="End">End (s), ≥ <paramref name="Start"/>.</param>
/// <param name="Severity">How bad, in [0, 1] (1 − the dimension's score over the span).</param>
/// <param name="Localised">True for a span inside the clip, false for a whole-clip issue.</param>
public sealed record FeedbackSpan(int Dimension, double Start, double End, double Severity, bool Localised = true)
{
    /// <summary>The dimension's name.</summary>
    [JsonIgnore]
    public string DimensionName => HarmoniousFeedbackNetwork.Dimensions[Dimension];

    /// <summary>Temporal intersection over union with <paramref name="other"/> (0 for disjoint spans; spans of zero length count as 10 ms).</summary>
    public double Iou(FeedbackSpan other)
    {
        double a0 = Start, a1 = Math.Max(End, Start + 0.01), b0 = other.Start, b1 = Math.Max(other.End, other.Start + 0.01);
        double inter = Math.Max(0, Math.Min(a1, b1) - Math.Max(a0, b0));
        double union = Math.Max(a1, b1) - Math.Min(a0, b0);
        return union > 0 ? inter / union : 0;
    }
}
