using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// What every segment view aligned with the <c>lld</c> view shares: the LLD segment count of each clip (before and after
/// the silent-tail rule), read through the feature cache the <c>lld</c> view fills, so a score row k and an LLD row k
/// always describe the same 3 s of audio and both end at the same trimmed segment.
/// </summary>
internal static class SegmentAlignment
{
    /// <summary>Per clip: the LLD segment count (<c>Full</c>) and the count the view keeps (<c>Kept</c>: after <see cref="SilentTail.Trim"/> with <see cref="TailHandling.Trim"/>, else all).</summary>
    public static (int Full, int Kept)[] LldRows(IReadOnlyList<ViewClip> clips, LldSegmentsViewOptions options, ViewExtraction x)
    {
        var cache = x.CacheDirectory is null ? null : new FeatureCache(x.CacheDirectory);
        var extractor = BatchFeatureExtractor.ForLldSegments(options.ToLldOptions(), cache, x.Threads);
        var results = extractor.Run(clips.Select(c => new BatchItem(c.Id, c.AudioPath)), LldSegmentsView.ProgressOf(x, $"features {x.Label}"), x.Cancellation);
        return results.Select(r => (r.Features.Rows, options.Tail == TailHandling.Trim ? SilentTail.Trim(r.Features).Rows : r.Features.Rows)).ToArray();
    }

    /// <summary>
    /// The first <paramref name="rows"/> rows of <paramref name="m"/> with the columns <paramref name="keep"/> (all when null);
    /// <paramref name="m"/> must have <paramref name="expectedRows"/> rows — the LLD's count — or the views are not aligned.
    /// </summary>
    public static FeatureMatrix Cut(FeatureMatrix m, int expectedRows, int rows, int[]? keep, string clipId, string view)
    {
        if (m.Rows != expectedRows)
            throw new DatasetException($"clip '{clipId}': view '{view}' has {m.Rows} segments but the clip's LLD has {expectedRows}; the views are not aligned (same sample rate, segment length, overlap and last-segment rule are required)");
        int cols = keep?.Length ?? m.Columns;
        var data = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            if (keep is null) m.Data.AsSpan(r * m.Columns, m.Columns).CopyTo(data.AsSpan(r * cols));
            else for (int j = 0; j < cols; j++) data[r * cols + j] = m[r, keep[j]];
        }
        var names = keep is null ? m.FeatureNames : keep.Select(j => m.FeatureNames[j]).ToArray();
        return new FeatureMatrix(data, rows, cols, names, m.FrameTimes[..rows], m.Options);
    }
}
