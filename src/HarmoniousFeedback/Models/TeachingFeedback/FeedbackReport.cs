using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// The report a person reads about one performance (what <c>hfb feedback</c> prints): the six dimension scores in [0, 1]
/// (1 = as the score asks), the dominant issue (or <c>none</c>), the time-localised issues from the per-frame scores
/// (<see cref="FeedbackIssues.FromFrames"/>, default threshold 0.3 and minimum 0.3 s), the emotional estimates (clamped to
/// each target's range, <see cref="Data.TeachingFeedback.EmotionTargets.RangeOf"/>) and a short
/// text from fixed templates (<see cref="Advice"/>: one sentence for the dominant issue, then one per localised issue in
/// time order, at most <see cref="MaxIssueSentences"/>).
/// </summary>
public sealed record FeedbackReport(IReadOnlyDictionary<string, double> Dimensions, string DominantIssue, double DominantProbability,
    IReadOnlyList<FeedbackSpan> Issues, IReadOnlyDictionary<string, double> Emotion, string Text)
{
    /// <summary>How well the recording follows the score (null when not checked, e.g. a model without the reference stream); see <see cref="WithScoreMatch"/>.</summary>
    public ScoreMatch? Reference { get; init; }

    /// <summary>
    /// The report with <paramref name="match"/> recorded; when the recording does not follow the score, <see cref="Text"/>
    /// starts with a warning that the scores may not mean much (the model only ever saw performances of their score).
    /// </summary>
    public FeedbackReport WithScoreMatch(ScoreMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        string why = match.Cost <= match.MaxCost
            ? string.Create(CultureInfo.InvariantCulture, $"it aligns hardly better with the score than with the score transposed: contrast {match.Contrast:0.00} < {match.MinContrast:0.00}")
            : string.Create(CultureInfo.InvariantCulture, $"mean alignment cost {match.Cost:0.00} > {match.MaxCost:0.00}");
        string text = match.Matched ? Text
            : $"Warning: the recording does not seem to follow the score ({why}): check that the score is the piece played; the scores below may not mean much. " + Text;
        return this with { Reference = match, Text = text };
    }

    /// <summary>
    /// Where <see cref="Issues"/> come from: <c>"frames"</c> (the model's per-frame scores, <see cref="From"/>) or
    /// <c>"notes"</c> (the note comparison's windows, <see cref="NoteIssueLocator"/>; <see cref="WithIssues"/>).
    /// </summary>
    public string IssuesFrom { get; init; } = "frames";

    /// <summary>
    /// The report with <paramref name="issues"/> in place of its issues (from <paramref name="source"/>, e.g. <c>"notes"</c>)
    /// and the text composed anew from them. Call it before <see cref="WithScoreMatch"/>, whose warning it would drop.
    /// </summary>
    public FeedbackReport WithIssues(IReadOnlyList<FeedbackSpan> issues, string source)
    {
        ArgumentNullException.ThrowIfNull(issues);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return this with { Issues = issues, IssuesFrom = source, Text = Compose(DominantIssue, issues) };
    }

    /// <summary>At most this many time-localised issues are spelled out in <see cref="Text"/> (all are in <see cref="Issues"/>).</summary>
    public const int MaxIssueSentences = 5;

    /// <summary>The template advice per dominant issue (the text's first sentence names the issue, then gives this).</summary>
    public static IReadOnlyDictionary<string, string> Advice { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["pitch"] = "some notes differ from the score; slow down and check the notes against the score",
        ["rhythm"] = "note onsets drift from the beat; practise with a metronome at a slower tempo",
        ["tempo"] = "the tempo changes where the score keeps it; keep a steady pulse throughout",
        ["dynamics"] = "the loudness does not follow the score; shape the dynamics as marked",
        ["articulation"] = "note lengths differ from the score (too short or too connected); listen to where each note ends",
        ["completeness"] = "notes are missing or added; play every note of the score, and only those",
        ["none"] = "the performance follows the score in every dimension",
    };

    /// <summary>Builds the report of <paramref name="p"/>.</summary>
    public static FeedbackReport From(HfnPrediction p, double threshold = FeedbackIssues.DefaultThreshold, double minSeconds = FeedbackIssues.DefaultMinSeconds)
    {
        var dims = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int d = 0; d < HarmoniousFeedbackNetwork.Dimensions.Count; d++) dims[HarmoniousFeedbackNetwork.Dimensions[d]] = p.Scores[d];
        var emotion = new Dictionary<string, double>(StringComparer.Ordinal);
        // the emotional head is linear (MSE): an estimate can leave the range its target is defined on; a report says
        // the nearest value a target can take (the raw outputs stay in HfnPrediction.Emotion)
        for (int k = 0; k < HarmoniousFeedbackNetwork.EmotionTargets.Count; k++)
        {
            string name = HarmoniousFeedbackNetwork.EmotionTargets[k];
            var (min, max) = Data.TeachingFeedback.EmotionTargets.RangeOf(name);
            emotion[name] = Math.Clamp(p.Emotion[k], min, max);
        }
        var issues = p.Issues(threshold, minSeconds);
        string dominant = p.Issue;
        double prob = p.IssueProbabilities[HarmoniousFeedbackNetwork.IssueClasses.ToList().IndexOf(dominant)];
        return new FeedbackReport(dims, dominant, prob, issues, emotion, Compose(dominant, issues));
    }

    private static string Compose(string dominant, IReadOnlyList<FeedbackSpan> issues)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(dominant == "none" ? "Well played: " : $"Main point to work on: {dominant} — ").Append(Advice[dominant]).Append('.');
        foreach (var s in issues.OrderBy(s => s.Start).Take(MaxIssueSentences))
            sb.Append(inv, $" At {s.Start:0.0}–{s.End:0.0} s: {s.DimensionName} (severity {s.Severity:0.00}).");
        if (issues.Count > MaxIssueSentences) sb.Append(inv, $" And {issues.Count - MaxIssueSentences} more passage(s).");
        return sb.ToString();
    }

    /// <summary>
    /// The report as one JSON object: <c>{"dimensions": {"pitch": s, …}, "dominant_issue": "…", "issues_from": "frames" | "notes", "issues": [{"dimension",
    /// "start", "end", "severity"}], "emotion": {…}, "text": "…"}</c> (seconds; numbers rounded to 4 decimals), and
    /// <c>"reference": {"cost", "matched"}</c> when <see cref="Reference"/> is set.
    /// </summary>
    public JsonObject ToJson()
    {
        static double R(double x) => Math.Round(x, 4);
        var o = new JsonObject
        {
            ["dimensions"] = new JsonObject(Dimensions.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)R(kv.Value)))),
            ["dominant_issue"] = DominantIssue,
            ["dominant_probability"] = R(DominantProbability),
            ["issues_from"] = IssuesFrom,
            ["issues"] = new JsonArray(Issues.Select(s => (JsonNode)new JsonObject
            {
                ["dimension"] = s.DimensionName, ["start"] = R(s.Start), ["end"] = R(s.End), ["severity"] = R(s.Severity),
            }).ToArray()),
            ["emotion"] = new JsonObject(Emotion.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)R(kv.Value)))),
            ["text"] = Text,
        };
        if (Reference is { } m)
        {
            var r = new JsonObject { ["cost"] = double.IsFinite(m.Cost) ? R(m.Cost) : null };
            if (m.Contrast is double c) r["contrast"] = double.IsFinite(c) ? R(c) : null;
            r["matched"] = m.Matched;
            o["reference"] = r;
        }
        return o;
    }

    /// <summary>The report for a person: a score line per dimension, the dominant issue, the issues with times, the emotional estimates, the text.</summary>
    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        if (Reference is { } m)
        {
            string verdict = m.Matched ? "follows the score" : "does NOT follow the score";
            sb.AppendLine(m.Contrast is double c
                ? string.Create(inv, $"score match: mean alignment cost {m.Cost:0.000}, transposition contrast {c:0.00} ({verdict}; a performance of the score is ≤ {m.MaxCost:0.00} and ≥ {m.MinContrast:0.00})")
                : string.Create(inv, $"score match: mean alignment cost {m.Cost:0.000} ({verdict}; a performance of the score is ≤ {m.MaxCost:0.00})"));
        }
        sb.AppendLine("dimension scores (1 = as the score asks):");
        foreach (var (name, s) in Dimensions) sb.AppendLine(inv, $"  {name,-13}{s:0.00}");
        sb.AppendLine(inv, $"dominant issue: {DominantIssue} (p = {DominantProbability:0.00})");
        string from = IssuesFrom == "frames" ? "" : $" (from the {IssuesFrom})";
        sb.AppendLine(Issues.Count == 0 ? $"issues{from}: none localised" : $"issues{from}:");
        foreach (var s in Issues) sb.AppendLine(inv, $"  {s.Start,6:0.00}–{s.End,6:0.00} s  {s.DimensionName,-13}severity {s.Severity:0.00}");
        sb.AppendLine("emotion: " + string.Join(", ", Emotion.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:0.00}"))));
        sb.AppendLine(Text);
        return sb.ToString();
    }
}
