namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// The labels by construction of one performance: the dominant issue, the six clip scores, the six emotional targets
/// and the spans of the planted deviations (docs/datasets.md, "Teaching-feedback corpus").
/// </summary>
/// <param name="Issue">Dominant issue: a name in <see cref="HarmoniousFeedbackNetwork.IssueClasses"/>.</param>
/// <param name="Scores">Clip score per dimension [6] in [0, 1], <see cref="HarmoniousFeedbackNetwork.Dimensions"/> order.</param>
/// <param name="Emotion">Emotional targets [6], <see cref="HarmoniousFeedbackNetwork.EmotionTargets"/> order.</param>
/// <param name="Spans">Every planted deviation's span (empty for a clean rendition).</param>
public sealed record FeedbackTargets(string Issue, float[] Scores, float[] Emotion, IReadOnlyList<FeedbackSpan> Spans)
{
    /// <summary>Index of <see cref="Issue"/> in <see cref="HarmoniousFeedbackNetwork.IssueClasses"/>.</summary>
    public int IssueIndex
    {
        get
        {
            for (int i = 0; i < HarmoniousFeedbackNetwork.IssueClasses.Count; i++)
                if (HarmoniousFeedbackNetwork.IssueClasses[i] == Issue) return i;
            throw new DatasetException($"dominant issue '{Issue}' is not one of {string.Join(", ", HarmoniousFeedbackNetwork.IssueClasses)}");
        }
    }

    /// <summary>Checks lengths and ranges; throws <see cref="DatasetException"/> naming <paramref name="clip"/> and the problem.</summary>
    public void Validate(string clip)
    {
        var p = new List<string>();
        if (Scores.Length != 6) p.Add($"{Scores.Length} scores (6 expected)");
        else if (Scores.Any(s => !(s >= 0 && s <= 1))) p.Add($"scores [{string.Join(", ", Scores)}] must lie in [0, 1]");
        if (Emotion.Length != 6) p.Add($"{Emotion.Length} emotional targets (6 expected)");
        else if (Emotion.Any(e => !float.IsFinite(e))) p.Add("an emotional target is not finite");
        if (!HarmoniousFeedbackNetwork.IssueClasses.Contains(Issue)) p.Add($"dominant issue '{Issue}' is not one of {string.Join(", ", HarmoniousFeedbackNetwork.IssueClasses)}");
        foreach (var s in Spans)
            if (s.Dimension is < 0 or > 5 || !(s.End >= s.Start) || !(s.Severity >= 0 && s.Severity <= 1))
                p.Add($"span {s} is invalid (dimension 0–5, end ≥ start, severity in [0, 1])");
        if (p.Count > 0) throw new DatasetException($"teaching-feedback targets of clip {clip}: {string.Join("; ", p)}");
    }
}
