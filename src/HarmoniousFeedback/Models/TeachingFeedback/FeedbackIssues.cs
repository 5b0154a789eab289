namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// Turns per-frame issue scores into time-localised issues: in each dimension d, every maximal run of consecutive frames
/// with d(τ') &gt; θ lasting at least <c>minSeconds</c> becomes a span [start of its first frame, end of its last frame]
/// with severity = the run's largest score. θ defaults to 0.3 — a frame score above it means a dimension score below the
/// corpus's dominant-issue threshold 0.7 (severity = 1 − score).
/// </summary>
public static class FeedbackIssues
{
    public const double DefaultThreshold = 0.3;
    public const double DefaultMinSeconds = 0.3;

    /// <summary>Spans from frame scores [T' × 6] (row-major) with frame start and end times (s); ordered by start, then dimension.</summary>
    public static IReadOnlyList<FeedbackSpan> FromFrames(ReadOnlySpan<float> deficits, ReadOnlySpan<double> starts, ReadOnlySpan<double> ends,
        double threshold = DefaultThreshold, double minSeconds = DefaultMinSeconds)
    {
        int t = starts.Length;
        if (deficits.Length != t * 6 || ends.Length != t)
            throw new ShapeMismatchException($"frame scores have {deficits.Length} values and {ends.Length} end times for {t} frames of 6 dimensions");
        var spans = new List<FeedbackSpan>();
        for (int d = 0; d < 6; d++)
        {
            int i = 0;
            while (i < t)
            {
                if (deficits[i * 6 + d] <= threshold) { i++; continue; }
                int j = i;
                float peak = 0;
                while (j < t && deficits[j * 6 + d] > threshold) { peak = Math.Max(peak, deficits[j * 6 + d]); j++; }
                if (ends[j - 1] - starts[i] >= minSeconds) spans.Add(new FeedbackSpan(d, starts[i], ends[j - 1], peak));
                i = j;
            }
        }
        return spans.OrderBy(s => s.Start).ThenBy(s => s.Dimension).ToList();
    }
}
