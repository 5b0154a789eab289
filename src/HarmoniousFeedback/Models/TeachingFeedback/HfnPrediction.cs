namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// What a trained HFN / HFN–HFI says about one performance.
/// </summary>
/// <param name="IssueProbabilities">P(dominant issue) [7] in <see cref="HarmoniousFeedbackNetwork.IssueClasses"/> order (softmax of the logits).</param>
/// <param name="Scores">Per-dimension scores [6] in [0, 1] (1 = as the score asks), <see cref="HarmoniousFeedbackNetwork.Dimensions"/> order.</param>
/// <param name="Emotion">Emotional estimates [6], <see cref="HarmoniousFeedbackNetwork.EmotionTargets"/> order.</param>
/// <param name="Factors">The emotional factors (tone, sentiment, engagement) that conditioned the attention, or null without factors.</param>
/// <param name="FrameDeficits">Per-frame issue scores, row-major [T' × 6] (0 = fine, 1 = entirely off).</param>
/// <param name="FrameStarts">Start of each output frame in the performance (s) [T'].</param>
/// <param name="FrameEnds">End of each output frame (s) [T'].</param>
/// <param name="Attention">The attention map A row-major [T × M] (frames × mel bins), when asked for and the model has one; else null.</param>
public sealed record HfnPrediction(float[] IssueProbabilities, float[] Scores, float[] Emotion, float[]? Factors,
    float[] FrameDeficits, double[] FrameStarts, double[] FrameEnds, float[]? Attention)
{
    /// <summary>The most probable dominant issue (the lowest index on ties).</summary>
    public string Issue
    {
        get
        {
            int best = 0;
            for (int k = 1; k < IssueProbabilities.Length; k++) if (IssueProbabilities[k] > IssueProbabilities[best]) best = k;
            return HarmoniousFeedbackNetwork.IssueClasses[best];
        }
    }

    /// <summary>Output frames T'.</summary>
    public int FrameCount => FrameStarts.Length;

    /// <summary>The time-localised issues: runs of frames whose score in a dimension exceeds <paramref name="threshold"/> (<see cref="FeedbackIssues.FromFrames"/>).</summary>
    public IReadOnlyList<FeedbackSpan> Issues(double threshold = FeedbackIssues.DefaultThreshold, double minSeconds = FeedbackIssues.DefaultMinSeconds)
        => FeedbackIssues.FromFrames(FrameDeficits, FrameStarts, FrameEnds, threshold, minSeconds);
}
