namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>
/// Krumhansl–Schmuckler key finding (Krumhansl 1990, <i>Cognitive Foundations of Musical Pitch</i>, ch. 4) with the
/// Krumhansl–Kessler (1982) probe-tone profiles: for each of the 24 keys (tonic k, major or minor) the Pearson correlation
/// <code>
///   r(k, mode) = corr( h,  P_mode rotated so that P_mode[0] sits on pitch class k ),   i.e.  P_k[j] = P_mode[(j − k) mod 12]
/// </code>
/// between the pitch-class histogram h (12 values, C first; any non-negative weights, e.g. durations) and the profile;
/// the key is the arg-max (ties: lower tonic, major before minor). As music21's <c>KrumhanslKessler</c> analyser and the
/// MIDI Toolbox's <c>kkkey</c> compute it. An ascending C-major scale C4…C5 (eight equal notes) gives C major with r ≈ 0.901;
/// the seven pitch classes alone (C counted once) give C major by a narrow margin over A minor (0.756 vs 0.712).
/// </summary>
public static class KeyFinder
{
    /// <summary>Krumhansl–Kessler major-key profile, tonic first.</summary>
    public static IReadOnlyList<double> MajorProfile { get; } = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];

    /// <summary>Krumhansl–Kessler minor-key profile, tonic first.</summary>
    public static IReadOnlyList<double> MinorProfile { get; } = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

    /// <summary>Pitch-class names C … B (sharps).</summary>
    public static IReadOnlyList<string> PitchClassNames { get; } = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    /// <summary>Estimates the key of a 12-bin pitch-class histogram (C first). Throws <see cref="ShapeMismatchException"/> for another length.</summary>
    public static KeyEstimate Estimate(ReadOnlySpan<double> histogram)
    {
        if (histogram.Length != 12) throw new ShapeMismatchException($"pitch-class histogram has {histogram.Length} bins; key finding needs 12 (C first)");
        var corr = new double[24];
        double mh = 0;
        for (int j = 0; j < 12; j++) mh += histogram[j];
        mh /= 12;
        double sh = 0;
        for (int j = 0; j < 12; j++) sh += (histogram[j] - mh) * (histogram[j] - mh);
        if (!(sh > 1e-18) || !double.IsFinite(sh)) return new KeyEstimate(0, true, 0, 0, 0, corr, false);
        for (int mode = 0; mode < 2; mode++)
        {
            var p = mode == 0 ? MajorProfile : MinorProfile;
            double mp = p.Average(), sp = 0;
            for (int j = 0; j < 12; j++) sp += (p[j] - mp) * (p[j] - mp);
            for (int k = 0; k < 12; k++)
            {
                double num = 0;
                for (int j = 0; j < 12; j++) num += (histogram[j] - mh) * (p[(j - k + 12) % 12] - mp);
                corr[mode * 12 + k] = num / Math.Sqrt(sh * sp);
            }
        }
        int best = 0;
        for (int i = 1; i < 24; i++) if (corr[i] > corr[best]) best = i;
        double second = double.NegativeInfinity, maxMajor = double.NegativeInfinity, maxMinor = double.NegativeInfinity;
        for (int i = 0; i < 24; i++)
        {
            if (i != best) second = Math.Max(second, corr[i]);
            if (i < 12) maxMajor = Math.Max(maxMajor, corr[i]); else maxMinor = Math.Max(maxMinor, corr[i]);
        }
        return new KeyEstimate(best % 12, best < 12, corr[best], corr[best] - second, maxMajor - maxMinor, corr, true);
    }
}
