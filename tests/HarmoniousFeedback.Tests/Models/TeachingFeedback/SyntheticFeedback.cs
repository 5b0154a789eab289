using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

/// <summary>
/// A learnable toy teaching-feedback task: the performance is a random 8-bin spectrogram [T × 8]; the reference is the
/// same without the planted issue; an issue of dimension d adds a bright band at mel bin d over a span (so it is visible
/// in the student–reference difference), "none" adds nothing. Labels are exact by construction.
/// </summary>
internal static class SyntheticFeedback
{
    public static (List<HfnExample> Examples, List<FeedbackTargets> Targets, List<string> Groups) Create(int n, int seed, int frames = 32, double hop = 0.05)
    {
        var rng = new Random(seed);
        var ex = new List<HfnExample>();
        var ys = new List<FeedbackTargets>();
        var gs = new List<string>();
        for (int i = 0; i < n; i++)
        {
            int cls = i % 7;
            int t = frames - rng.Next(0, 8);
            var reference = new float[t * 8];
            for (int k = 0; k < reference.Length; k++) reference[k] = (float)(0.2 + 0.3 * rng.NextDouble());
            var student = (float[])reference.Clone();
            var spans = new List<FeedbackSpan>();
            var scores = Enumerable.Repeat(1f, 6).ToArray();
            if (cls < 6)
            {
                int a = rng.Next(0, t / 2), b = Math.Min(t, a + t / 3);
                for (int f = a; f < b; f++) student[f * 8 + cls] = 1f;
                spans.Add(new FeedbackSpan(cls, a * hop, b * hop, 0.8));
                scores[cls] = 0.3f;
            }
            var times = Enumerable.Range(0, t).Select(k => k * hop).ToArray();
            var names = Enumerable.Range(0, 8).Select(k => $"m{k}").ToArray();
            var align = new float[t * 2];
            for (int f = 0; f < t; f++) { align[f * 2] = student[f * 8 + (cls % 6)] - reference[f * 8 + (cls % 6)]; align[f * 2 + 1] = (float)rng.NextDouble() * 0.1f; }
            ex.Add(new HfnExample(new FeatureMatrix(student, t, 8, names, times), new FeatureMatrix(reference, t, 8, names, times),
                new FeatureMatrix(align, t, 2, ["a", "b"], times)));
            var emotion = Enumerable.Range(0, 6).Select(k => (float)(0.5 * Math.Sin(i + k))).ToArray();
            ys.Add(new FeedbackTargets(HarmoniousFeedbackNetwork.IssueClasses[cls], scores, emotion, spans));
            gs.Add($"g{i / 7}");
        }
        return (ex, ys, gs);
    }

    /// <summary>
    /// The same task with the issue visible only in a clip-level note comparison: the student's spectrogram equals the
    /// reference and the alignment features are noise, while N [7] is 1000 + U(0, 40) in every slot and 200 more in the
    /// class's slot (a large offset and scale: an unstandardised input would swamp the network).
    /// </summary>
    public static (List<HfnExample> Examples, List<FeedbackTargets> Targets, List<string> Groups) CreateNoteOnly(int n, int seed)
    {
        var (ex, ys, gs) = Create(n, seed);
        var rng = new Random(seed + 500);
        for (int i = 0; i < ex.Count; i++)
        {
            int cls = i % 7;
            var e = ex[i];
            var g = e.Alignment!.Data.ToArray();
            for (int k = 0; k < g.Length; k++) g[k] = (float)rng.NextDouble() * 0.1f;
            var notes = new float[7];
            for (int q = 0; q < 7; q++) notes[q] = 1000f + 40f * (float)rng.NextDouble() + (q == cls ? 200f : 0f);
            ex[i] = e with
            {
                Student = e.Reference!,
                Alignment = new FeatureMatrix(g, e.Alignment.Rows, e.Alignment.Columns, e.Alignment.FeatureNames, e.Alignment.FrameTimes),
                Notes = notes,
            };
        }
        return (ex, ys, gs);
    }
}
