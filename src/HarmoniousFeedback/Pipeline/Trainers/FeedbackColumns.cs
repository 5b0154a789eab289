using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// The columns of the teaching-feedback task. Targets (labels by construction; never inputs), which the experiment
/// runner adds for a teaching-feedback dataset:
/// <list type="bullet">
/// <item><c>FeedbackTargets</c> — Vector[12]: the six clip scores (<see cref="HarmoniousFeedbackNetwork.Dimensions"/>) then the six emotional targets (<see cref="HarmoniousFeedbackNetwork.EmotionTargets"/>);</item>
/// <item><c>FeedbackSpans</c> — Sequence[*, 5], one row per planted deviation: dimension index, start (s), end (s), severity, localised (1/0).</item>
/// </list>
/// Outputs a feedback model adds beside <c>Score</c>/<c>PredictedLabel</c>: <c>DimensionScores</c> Vector[6],
/// <c>Emotion</c> Vector[6], <c>FrameScores</c> Sequence[*, 6] (per output frame, frame times = frame centres) and
/// <c>FrameSeconds</c> (double: the duration of one output frame).
/// </summary>
public static class FeedbackColumns
{
    public const string Targets = "FeedbackTargets";
    public const string Spans = "FeedbackSpans";
    public const string DimensionScores = "DimensionScores";
    public const string Emotion = "Emotion";
    public const string FrameScores = "FrameScores";
    public const string FrameSeconds = "FrameSeconds";

    /// <summary>Slot names of <see cref="Targets"/>.</summary>
    public static IReadOnlyList<string> TargetSlots { get; } = [.. HarmoniousFeedbackNetwork.Dimensions, .. HarmoniousFeedbackNetwork.EmotionTargets];

    /// <summary>Slot names of <see cref="Spans"/>.</summary>
    public static IReadOnlyList<string> SpanSlots { get; } = ["dimension", "start_s", "end_s", "severity", "localised"];

    public static ColumnType TargetsType => ColumnType.Vector(12);
    public static ColumnType SpansType => ColumnType.Sequence(5);

    /// <summary>The two target values of one clip.</summary>
    public static (float[] Targets, FeatureMatrix Spans) Encode(FeedbackTargets t)
    {
        var v = new float[12];
        t.Scores.CopyTo(v, 0);
        t.Emotion.CopyTo(v, 6);
        var d = new float[t.Spans.Count * 5];
        for (int i = 0; i < t.Spans.Count; i++)
        {
            var s = t.Spans[i];
            d[i * 5] = s.Dimension; d[i * 5 + 1] = (float)s.Start; d[i * 5 + 2] = (float)s.End; d[i * 5 + 3] = (float)s.Severity; d[i * 5 + 4] = s.Localised ? 1 : 0;
        }
        return (v, new FeatureMatrix(d, t.Spans.Count, 5, SpanSlots, new double[t.Spans.Count]));
    }

    /// <summary>The targets of one clip from its label and the two target values.</summary>
    public static FeedbackTargets Decode(string issue, float[] targets, FeatureMatrix spans)
    {
        if (targets.Length != 12) throw new SchemaMismatchException($"{Targets} has {targets.Length} values per row, 12 expected (6 scores + 6 emotional targets)");
        if (spans.Columns != 5) throw new SchemaMismatchException($"{Spans} has {spans.Columns} columns, 5 expected ({string.Join(", ", SpanSlots)})");
        var list = new List<FeedbackSpan>(spans.Rows);
        for (int i = 0; i < spans.Rows; i++)
        {
            var r = spans.Data.AsSpan(i * 5, 5);
            list.Add(new FeedbackSpan((int)r[0], r[1], r[2], r[3], r[4] != 0));
        }
        return new FeedbackTargets(issue, targets[..6], targets[6..], list);
    }

    /// <summary>The truth spans of one row of <see cref="Spans"/>.</summary>
    public static IReadOnlyList<FeedbackSpan> DecodeSpans(FeatureMatrix spans) => Decode(HarmoniousFeedbackNetwork.IssueClasses[^1], new float[12], spans).Spans;
}
