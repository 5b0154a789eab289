namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>
/// Template chord recognition on pitch-class sets (Fujishima 1999, "Realtime chord recognition of musical sound", with
/// binary templates): a sonority S (set of pitch classes, as a 12-bit mask, bit 0 = C) is compared with every template T
/// transposed to every root by the cosine of the binary vectors, <c>cos(S, T) = |S ∩ T| / sqrt(|S|·|T|)</c>; the best
/// (template order below, then lower root, breaks ties) names the chord when its cosine is at least the threshold,
/// else the chord is <see cref="ChordQuality.Other"/>; sets of fewer than 3 pitch classes are <see cref="ChordQuality.None"/>.
/// Templates (semitones above the root), in tie-break order: major {0,4,7}, minor {0,3,7}, dominant 7th {0,4,7,10},
/// major 7th {0,4,7,11}, minor 7th {0,3,7,10}, diminished {0,3,6}, half-diminished 7th {0,3,6,10}, diminished 7th
/// {0,3,6,9}, augmented {0,4,8}, sus4 {0,5,7}, sus2 {0,2,7}. Known ambiguities: a major sixth {0,4,7,9} equals the minor
/// seventh a minor third below and is labelled so; an added-ninth triad matches its triad and its sus2 equally (cos 0.87) and is labelled by the triad.
/// </summary>
public static class ChordTemplates
{
    private static readonly (ChordQuality Quality, int[] Intervals)[] Templates =
    [
        (ChordQuality.Major, [0, 4, 7]), (ChordQuality.Minor, [0, 3, 7]), (ChordQuality.Dominant7, [0, 4, 7, 10]),
        (ChordQuality.Major7, [0, 4, 7, 11]), (ChordQuality.Minor7, [0, 3, 7, 10]), (ChordQuality.Diminished, [0, 3, 6]),
        (ChordQuality.Diminished, [0, 3, 6, 10]), (ChordQuality.Diminished, [0, 3, 6, 9]), (ChordQuality.Augmented, [0, 4, 8]),
        (ChordQuality.Suspended, [0, 5, 7]), (ChordQuality.Suspended, [0, 2, 7]),
    ];

    // Best (quality, root, cosine) for every one of the 4,096 pitch-class masks, ignoring the threshold.
    private static readonly (ChordQuality Quality, int Root, double Cosine)[] Best = BuildTable();

    /// <summary>Mask of a set of pitch classes (values taken mod 12).</summary>
    public static int Mask(IEnumerable<int> pitchClasses)
    {
        int m = 0;
        foreach (var p in pitchClasses) m |= 1 << (((p % 12) + 12) % 12);
        return m;
    }

    /// <summary>
    /// The chord of pitch-class mask <paramref name="mask"/> (bit 0 = C): quality, root pitch class (−1 for None/Other) and
    /// the cosine with the best template (0 for None).
    /// </summary>
    public static (ChordQuality Quality, int Root, double Cosine) Classify(int mask, double minCosine = 0.75)
    {
        if ((uint)mask > 0xFFF) throw new ShapeMismatchException($"pitch-class mask 0x{mask:X} has bits above bit 11 (12 pitch classes)");
        var b = Best[mask];
        if (b.Quality == ChordQuality.None) return (ChordQuality.None, -1, 0);
        return b.Cosine >= minCosine ? b : (ChordQuality.Other, -1, b.Cosine);
    }

    private static (ChordQuality, int, double)[] BuildTable()
    {
        var t = new (ChordQuality, int, double)[4096];
        for (int mask = 0; mask < 4096; mask++)
        {
            int size = System.Numerics.BitOperations.PopCount((uint)mask);
            if (size < 3) { t[mask] = (ChordQuality.None, -1, 0); continue; }
            var best = (ChordQuality.Other, -1, -1.0);
            foreach (var (q, iv) in Templates)
                for (int root = 0; root < 12; root++)
                {
                    int tm = 0;
                    foreach (var i in iv) tm |= 1 << ((root + i) % 12);
                    double cos = System.Numerics.BitOperations.PopCount((uint)(mask & tm)) / Math.Sqrt(size * iv.Length);
                    if (cos > best.Item3 + 1e-12) best = (q, root, cos);
                }
            t[mask] = best;
        }
        return t;
    }
}
