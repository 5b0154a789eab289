using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// The teaching-feedback corpus: reference excerpts of labelled pieces and, per reference, student renditions with
/// planted deviations and labels by construction (docs/datasets.md, "Teaching-feedback corpus").
/// <code>
///   var draft = FeedbackCorpus.Build(FeedbackCorpus.EmbeddedSource());                 // or EmopiaDataset.Load(…), VgmidiDataset.Load(…)
///   FeedbackCorpusPreparer.Prepare(draft, FeedbackRenderers.Parse("builtin,builtin-upright"), new PrepareOptions { OutputDirectory = "data/feedback" });
///   var fb = FeedbackCorpus.Load("data/feedback");                                      // clips, labels, spans, reference paths
/// </code>
/// <para>
/// <b>Build.</b> Source pieces (all, or <see cref="FeedbackCorpusOptions.MaxPieces"/> chosen one per group in a seeded
/// order, then a second per group, …) are cut into <see cref="FeedbackCorpusOptions.ExcerptsPerPiece"/> excerpts of
/// <see cref="FeedbackCorpusOptions.ExcerptSeconds"/>: excerpt j starts at the first note onset at or after
/// t₀ + j·(t₁ − t₀)/k, with t₀ the first onset and t₁ = max(t₀, last onset − length/2) (equal starts are merged);
/// excerpts with fewer than <see cref="FeedbackCorpusOptions.MinNotes"/> notes are skipped. Each reference gets the
/// renditions of <see cref="RenditionPlanner.Plan"/> (reference number = its position in source-id order) and the labels
/// of <see cref="FeedbackLabeler.Label"/>. Intended valence/arousal: the source clip's values, else the signs of its
/// quadrant (Q1 (+,+), Q2 (−,+), Q3 (−,−), Q4 (+,−)), else 0.
/// </para>
/// <para>
/// <b>Ids carry nothing a model could use.</b> References ("ref0000"), renditions ("r00000") and, when prepared, clips
/// ("fb00000") are numbered after seeded shuffles, so neither the deviation, the clean/deviated status, the rendition's
/// position within its reference nor the source's label can be read from an id or file name. Groups ("g0000") are
/// numbered by the SHA-256 of the source group's name.
/// </para>
/// </summary>
public static class FeedbackCorpus
{
    /// <summary>Bumped when the construction changes (part of <see cref="FeedbackCorpusOptions.ToString"/>).</summary>
    public const int Version = 1;

    /// <summary>The embedded default's source: 40 synthetic pieces of 6 s (2 segments), seed 1 — 10 per quadrant.</summary>
    public static SyntheticCorpusOptions EmbeddedSourceOptions { get; } = new() { Clips = 40, Seed = 1, MinSegments = 2, MaxSegments = 2 };

    /// <summary>The embedded default's source dataset (<see cref="SyntheticCorpus.Create"/> with <see cref="EmbeddedSourceOptions"/>).</summary>
    public static Dataset EmbeddedSource() => SyntheticCorpus.Create(EmbeddedSourceOptions);

    /// <summary>
    /// Builds the corpus of <paramref name="source"/> in memory (see the type's remarks). The source's clips need a score
    /// (<see cref="Dataset.Scores"/>) or a MIDI file; audio-only clips raise <see cref="DatasetException"/>.
    /// </summary>
    public static FeedbackCorpusDraft Build(Dataset source, FeedbackCorpusOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var o = options ?? new FeedbackCorpusOptions();
        o.Validate();
        var pieces = SelectPieces(source, o);
        if (pieces.FirstOrDefault(c => c.MidiPath is null && !source.Scores.ContainsKey(c.Id)) is { } bad)
            throw new DatasetException($"dataset {source.Name}: clip {bad.Id} has no score or MIDI file; the teaching-feedback corpus is built from symbolic pieces");

        // 1. Reference excerpts, in source-id order.
        var raw = new List<(Clip Clip, int Excerpt, double Start, MidiScore Score)>();
        var perPiece = new List<(Clip, int, double, MidiScore)>[pieces.Count];
        Parallel.For(0, pieces.Count, new ParallelOptions { MaxDegreeOfParallelism = o.Threads, CancellationToken = cancellation }, i =>
        {
            var clip = pieces[i];
            var score = source.Scores.TryGetValue(clip.Id, out var s) ? s : MidiReader.Read(clip.MidiPath!);
            perPiece[i] = Excerpts(score, o).Select((x, j) => (clip, j, x.Start, x.Score)).Where(x => x.Score.Notes.Count >= o.MinNotes).ToList();
        });
        foreach (var list in perPiece) raw.AddRange(list);
        if (raw.Count == 0)
            throw new DatasetException($"dataset {source.Name}: no excerpt of {o.ExcerptSeconds.ToString(CultureInfo.InvariantCulture)} s has at least {o.MinNotes} notes");

        var groupNames = raw.Select(x => x.Clip.GroupId).Distinct()
            .OrderBy(g => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(g))), StringComparer.Ordinal).ToArray();
        var groupId = groupNames.Select((g, i) => (g, i)).ToDictionary(x => x.g, x => "g" + x.i.ToString("D4", CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var refOrder = Enumerable.Range(0, raw.Count).ToList();
        DeterministicRandom.For(o.Seed, "feedback-reference-ids", 0).Shuffle(refOrder);
        var references = new FeedbackReference[raw.Count];
        for (int k = 0; k < refOrder.Count; k++)
        {
            var (clip, _, start, score) = raw[refOrder[k]];
            var (v, a, q) = Intended(clip);
            references[refOrder[k]] = new FeedbackReference("ref" + k.ToString("D4", CultureInfo.InvariantCulture), groupId[clip.GroupId], clip.Id, clip.GroupId,
                clip.Split, start, o.ExcerptSeconds, score, v, a, q);
        }

        // 2. Renditions and labels, per reference (independent streams: the result does not depend on threads).
        var planned = new (PlannedRendition Plan, MidiScore Score, RenditionLabels Labels)[references.Length][];
        Parallel.For(0, references.Length, new ParallelOptions { MaxDegreeOfParallelism = o.Threads, CancellationToken = cancellation }, i =>
        {
            var r = references[i];
            planned[i] = RenditionPlanner.Plan(r.Score, r.Seconds, i, o.Plan, o.Seed, o.Rules)
                .Select(p => (p, p.Performance.ToScore(), FeedbackLabeler.Label(p.Performance, r.IntendedValence, r.IntendedArousal, o.Rules)))
                .ToArray();
        });
        var flat = planned.SelectMany((list, i) => list.Select(x => (Reference: references[i], x.Plan, x.Score, x.Labels))).ToList();
        var order = Enumerable.Range(0, flat.Count).ToList();
        DeterministicRandom.For(o.Seed, "feedback-rendition-ids", 0).Shuffle(order);
        int width = Math.Max(5, (flat.Count - 1).ToString(CultureInfo.InvariantCulture).Length);
        var renditions = new FeedbackRendition[flat.Count];
        for (int k = 0; k < order.Count; k++)
        {
            var x = flat[order[k]];
            renditions[k] = new FeedbackRendition("r" + k.ToString("D" + width, CultureInfo.InvariantCulture), x.Reference, x.Plan, x.Score, x.Labels);
        }
        return new FeedbackCorpusDraft("feedback", $"{source.Name}:{source.Source}", o,
            references.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray(), renditions);
    }

    /// <summary>Reads a prepared folder (<c>manifest.json</c> + <c>feedback.json</c>); see <see cref="FeedbackDataset"/>.</summary>
    public static FeedbackDataset Load(string preparedDirectory) => FeedbackDataset.Load(preparedDirectory);

    private static List<Clip> SelectPieces(Dataset source, FeedbackCorpusOptions o)
    {
        if (o.MaxPieces is not { } max || max >= source.Clips.Count) return source.Clips.ToList();
        var groups = source.Clips.GroupBy(c => c.GroupId).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(c => c.Id, StringComparer.Ordinal).ToList()).ToList();
        var r = DeterministicRandom.For(o.Seed, "feedback-pieces", 0);
        r.Shuffle(groups);
        foreach (var g in groups) r.Shuffle(g);
        var chosen = new List<Clip>();
        for (int round = 0; chosen.Count < max; round++)
            foreach (var g in groups)
                if (round < g.Count && chosen.Count < max) chosen.Add(g[round]);
        return chosen.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<(double Start, MidiScore Score)> Excerpts(MidiScore score, FeedbackCorpusOptions o)
    {
        if (score.Notes.Count == 0) yield break;
        double t0 = score.Notes.Min(n => n.Onset), last = score.Notes.Max(n => n.Onset);
        double t1 = Math.Max(t0, last - o.ExcerptSeconds / 2);
        var onsets = score.Notes.Select(n => n.Onset).Order().ToArray();
        var starts = new SortedSet<double>();
        for (int j = 0; j < o.ExcerptsPerPiece; j++)
        {
            double target = t0 + j * (t1 - t0) / o.ExcerptsPerPiece;
            int idx = Array.FindIndex(onsets, t => t >= target - 1e-9);
            starts.Add(onsets[idx < 0 ? ^1 : idx]);
        }
        foreach (var s in starts) yield return (s, MidiExcerpt.Cut(score, s, o.ExcerptSeconds));
    }

    private static (double V, double A, string? Quadrant) Intended(Clip c)
    {
        string? q = Dataset.Quadrants.Contains(c.Label) ? c.Label : null;
        double sv = q is "Q1" or "Q4" ? 1 : q is null ? 0 : -1;
        double sa = q is "Q1" or "Q2" ? 1 : q is null ? 0 : -1;
        return (c.Valence ?? sv, c.Arousal ?? sa, q);
    }
}
