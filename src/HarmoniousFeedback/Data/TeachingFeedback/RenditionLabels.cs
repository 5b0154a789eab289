namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// Everything <see cref="FeedbackLabeler.Label"/> derives from a <see cref="Midi.Deviations.StudentPerformance"/>: clip scores (the
/// worst window per dimension), the dominant issue, per-window labels, the planted deviations with their spans and
/// severities, and the emotional targets.
/// </summary>
public sealed record RenditionLabels(
    FeedbackScores Scores, string DominantIssue, IReadOnlyList<WindowLabels> Windows,
    IReadOnlyList<LabelledDeviation> Deviations, EmotionTargets Emotion);
