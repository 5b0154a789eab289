using System.Text.Json.Serialization;
using HarmoniousFeedback.Models.TeachingFeedback;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// One test clip of a unit: its id, true and predicted class, and the class scores (in <see cref="UnitResult.Classes"/>
/// order); for a teaching-feedback model also its per-dimension scores, emotional estimates and time-localised issues
/// (absent from the unit file otherwise).
/// </summary>
public sealed record UnitPrediction(string ClipId, string Truth, string Predicted, float[] Probabilities)
{
    /// <summary>Per-dimension scores [6] (<see cref="HarmoniousFeedbackNetwork.Dimensions"/>), or null for a model without them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[]? Dimensions { get; init; }

    /// <summary>Emotional estimates [6] (<see cref="HarmoniousFeedbackNetwork.EmotionTargets"/>), or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[]? Emotion { get; init; }

    /// <summary>Time-localised issues from the per-frame scores (<see cref="FeedbackIssues.FromFrames"/>), or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<FeedbackSpan>? Issues { get; init; }
}
