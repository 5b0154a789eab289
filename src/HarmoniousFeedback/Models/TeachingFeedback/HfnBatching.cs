using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// Assembles mini-batches: examples zero-padded to the longest (at least the pooling factor), matrices transposed from
/// [frames × features] to the network's [features × frames], and frame targets at the output frame rate. Output frame j
/// covers input frames [jP, jP + P) (P = 2ⁿ): it spans [t₀ + (jP − ½)h, t₀ + (jP + P − ½)h] and its centre is
/// t₀ + (jP + (P − 1)/2)·h, with t₀ the first frame's time and h the hop.
/// </summary>
public static class HfnBatching
{
    /// <summary>The network inputs for <paramref name="rows"/> of <paramref name="examples"/>; <paramref name="noteFeatures"/> &gt; 0 also gathers their note comparisons [B, Q].</summary>
    public static HfnBatch Inputs(IReadOnlyList<HfnExample> examples, IReadOnlyList<int> rows, bool reference, int alignmentFeatures, int poolFactor, int noteFeatures = 0)
    {
        int b = rows.Count, m = examples[rows[0]].Student.Columns, t = poolFactor;
        foreach (var r in rows) t = Math.Max(t, examples[r].Frames);
        var x = new float[b * m * t];
        var rf = reference ? new float[b * m * t] : null;
        var g = reference && alignmentFeatures > 0 ? new float[b * alignmentFeatures * t] : null;
        var lengths = new int[b];
        for (int i = 0; i < b; i++)
        {
            var e = examples[rows[i]];
            lengths[i] = e.Frames;
            Transpose(e.Student.Data, e.Frames, m, x.AsSpan(i * m * t, m * t), t);
            if (rf is not null) Transpose(e.Reference!.Data, e.Frames, m, rf.AsSpan(i * m * t, m * t), t);
            if (g is not null) Transpose(e.Alignment!.Data, e.Frames, alignmentFeatures, g.AsSpan(i * alignmentFeatures * t, alignmentFeatures * t), t);
        }
        Tensor? notes = null;
        if (reference && noteFeatures > 0)
        {
            var n = new float[b * noteFeatures];
            for (int i = 0; i < b; i++)
            {
                var v = examples[rows[i]].Notes;
                if (v is null || v.Length != noteFeatures)
                    throw new ShapeMismatchException($"HFN: example {rows[i]} has {(v is null ? "no note comparison" : $"a note comparison of {v.Length} values")}, the network reads {noteFeatures} (view score-notes)");
                v.CopyTo(n, i * noteFeatures);
            }
            notes = new Tensor(n, b, noteFeatures);
        }
        return new HfnBatch(new Tensor(x, b, 1, m, t), rf is null ? null : new Tensor(rf, b, 1, m, t),
            g is null ? null : new Tensor(g, b, alignmentFeatures, t), lengths)
        { Notes = notes };
    }

    /// <summary>
    /// SpecAugment frequency masking in place: for each clip, <paramref name="masks"/> bands of width w ~ U{0 … maxBins}
    /// starting at f₀ ~ U{0 … M − w} are set to 0 in the performance's and the reference's spectrogram.
    /// </summary>
    public static void MaskFrequencies(HfnBatch batch, int masks, int maxBins, NnRng rng)
    {
        if (masks <= 0 || maxBins <= 0) return;
        int b = batch.BatchSize, m = batch.Student.Shape[2], t = batch.Frames;
        for (int i = 0; i < b; i++)
            for (int k = 0; k < masks; k++)
            {
                int w = rng.Next(maxBins + 1), f0 = rng.Next(m - w + 1);
                batch.Student.Data.Slice(i * m * t + f0 * t, w * t).Clear();
                batch.Reference?.Data.Slice(i * m * t + f0 * t, w * t).Clear();
            }
    }

    /// <summary>src [frames × features] → dst [features × width] (columns beyond frames stay 0).</summary>
    private static void Transpose(ReadOnlySpan<float> src, int frames, int features, Span<float> dst, int width)
    {
        for (int i = 0; i < frames; i++)
            for (int f = 0; f < features; f++)
                dst[f * width + i] = src[i * features + f];
    }

    /// <summary>The targets of <paramref name="rows"/> for a batch padded to <paramref name="frames"/> input frames.</summary>
    public static HfnTargets Targets(IReadOnlyList<HfnExample> examples, IReadOnlyList<FeedbackTargets> targets, IReadOnlyList<int> rows, int frames, int poolFactor)
    {
        int b = rows.Count, tOut = frames / poolFactor;
        var issue = new long[b];
        var scores = new float[b * 6];
        var emotion = new float[b * 6];
        var fr = new float[b * 6 * tOut];
        for (int i = 0; i < b; i++)
        {
            var y = targets[rows[i]];
            var e = examples[rows[i]];
            issue[i] = y.IssueIndex;
            y.Scores.CopyTo(scores.AsSpan(i * 6, 6));
            y.Emotion.CopyTo(emotion.AsSpan(i * 6, 6));
            FrameTargets(y.Spans, e.Student.FrameTimes.Length > 0 ? e.Student.FrameTimes[0] : 0, e.Hop, poolFactor, tOut, fr.AsSpan(i * 6 * tOut, 6 * tOut));
        }
        return new HfnTargets(issue, new Tensor(scores, b, 6), new Tensor(emotion, b, 6), new Tensor(fr, b, 6, tOut));
    }

    /// <summary>Per-frame deficits [6 × T']: the largest severity of the spans of each dimension covering the frame's centre.</summary>
    public static void FrameTargets(IReadOnlyList<FeedbackSpan> spans, double t0, double hop, int poolFactor, int tOut, Span<float> dst)
    {
        dst.Clear();
        foreach (var s in spans)
            for (int j = 0; j < tOut; j++)
            {
                double c = t0 + (j * poolFactor + (poolFactor - 1) / 2.0) * hop;
                if (c >= s.Start && c < s.End) dst[s.Dimension * tOut + j] = Math.Max(dst[s.Dimension * tOut + j], (float)s.Severity);
            }
    }

    /// <summary>Start and end (s) of each of <paramref name="tOut"/> output frames.</summary>
    public static (double[] Starts, double[] Ends) FrameSpans(double t0, double hop, int poolFactor, int tOut)
    {
        var s = new double[tOut];
        var e = new double[tOut];
        for (int j = 0; j < tOut; j++)
        {
            s[j] = Math.Max(0, t0 + (j * poolFactor - 0.5) * hop);
            e[j] = t0 + (j * poolFactor + poolFactor - 0.5) * hop;
        }
        return (s, e);
    }
}
