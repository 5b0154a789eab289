namespace HarmoniousFeedback.Features;

/// <summary>
/// The near-silent release tail of rendered clips. Rendered MIDI ends in a 2–2.5 s release after the last note, so
/// without trimming the last step an LSTM sees is mostly silence (EMOPIA: 1,065 of 1,078 renders end in a near-silent
/// final 3 s segment; ../shared/datasets/emopia/README.md).
/// </summary>
public static class SilentTail
{
    /// <summary>
    /// Drops trailing LLD segments whose mean energy (<c>energy_db_mean</c>) is more than <paramref name="belowMaxDb"/> dB
    /// below the clip's loudest segment, keeping at least one. Input and output: LLD segments [T × 50]
    /// (<see cref="LldExtractor.SegmentColumns"/>); any other matrix is returned unchanged.
    /// </summary>
    public static FeatureMatrix Trim(FeatureMatrix m, double belowMaxDb = 30)
    {
        int col = LldExtractor.SegmentColumns.ToList().IndexOf("energy_db_mean");
        if (col < 0 || m.Columns != LldExtractor.SegmentColumns.Count || m.Rows <= 1) return m;
        float max = float.NegativeInfinity;
        for (int i = 0; i < m.Rows; i++) max = Math.Max(max, m[i, col]);
        int keep = m.Rows;
        while (keep > 1 && m[keep - 1, col] < max - belowMaxDb) keep--;
        if (keep == m.Rows) return m;
        return new FeatureMatrix(m.Data.AsSpan(0, keep * m.Columns).ToArray(), keep, m.Columns, m.FeatureNames, m.FrameTimes[..keep], m.Options);
    }
}
