namespace HarmoniousFeedback.Features;

/// <summary>
/// The segmentation rule shared by every segment-level view, so that audio LLD segments (<see cref="LldExtractor"/>),
/// score and performance segments (<see cref="Symbolic.SymbolicFeatureExtractor"/>) and onset/tempo segments
/// (<see cref="AudioRhythmExtractor"/>) of one clip have identical boundaries.
/// <para>With <c>L = round(SegmentSeconds·sr)</c> and step <c>S = max(1, L − round(OverlapSeconds·sr))</c>, segment k covers
/// samples <c>[k·S, k·S + L)</c>; the first segment that does not fit is the tail <c>[k·S, length)</c>, kept by
/// <see cref="LastSegmentPolicy"/> (a clip shorter than one segment always yields one segment); an exact fit leaves no empty
/// tail; a clip of length 0 has no segment. Times are <c>samples / sr</c>.</para>
/// </summary>
public static class SegmentGrid
{
    /// <summary>Segment boundaries (start, end) in samples for a clip of <paramref name="length"/> samples (see the type's rule).</summary>
    public static IReadOnlyList<(int Start, int End)> Cut(int length, int sampleRate, double segmentSeconds, double overlapSeconds,
                                                          LastSegmentPolicy lastSegment, double minLastSegmentFraction)
    {
        var r = new List<(int, int)>();
        if (length <= 0) return r;
        int seg = Math.Max(1, (int)Math.Round(segmentSeconds * sampleRate));
        int step = Math.Max(1, seg - (int)Math.Round(overlapSeconds * sampleRate));
        for (int start = 0; start < length; start += step)
        {
            int end = start + seg;
            if (end <= length) { r.Add((start, end)); if (end == length) break; continue; }
            bool keep = r.Count == 0 || lastSegment switch
            {
                LastSegmentPolicy.Keep => true,
                LastSegmentPolicy.Drop => false,
                _ => length - start >= minLastSegmentFraction * seg,
            };
            if (keep) r.Add((start, length));
            break;
        }
        return r;
    }

    /// <summary>The segments <see cref="LldExtractor.ComputeSegments(ReadOnlySpan{float})"/> uses for a clip of <paramref name="length"/> samples.</summary>
    public static IReadOnlyList<(int Start, int End)> Cut(int length, LldOptions options)
        => Cut(length, options.SampleRate, options.SegmentSeconds, options.OverlapSeconds, options.LastSegment, options.MinLastSegmentFraction);
}
