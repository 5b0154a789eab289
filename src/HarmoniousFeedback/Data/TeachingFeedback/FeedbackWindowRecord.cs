namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>The labels of one scoring window of a rendition, as stored in <c>feedback.json</c>.</summary>
public sealed record FeedbackWindowRecord
{
    public required double Start { get; init; }
    public required double End { get; init; }

    /// <summary>Dimension name → score in [0, 1] over the window.</summary>
    public required IReadOnlyDictionary<string, double> Scores { get; init; }

    /// <summary>Dominant issue of the window ("pitch" … "completeness" or "none").</summary>
    public required string DominantIssue { get; init; }
}
