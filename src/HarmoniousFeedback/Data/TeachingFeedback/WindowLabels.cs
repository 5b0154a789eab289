using HarmoniousFeedback.Midi.Deviations;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>Labels of one scoring window of a rendition.</summary>
public sealed record WindowLabels(TimeRange Window, FeedbackScores Scores, string DominantIssue);
