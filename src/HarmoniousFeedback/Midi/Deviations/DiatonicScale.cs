namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// The seven pitch classes of the major scale on <see cref="Tonic"/> (0 = C … 11 = B), which are also those of its
/// relative natural minor. Used to tell in-key from out-of-key wrong notes.
/// </summary>
public readonly record struct DiatonicScale(int Tonic)
{
    private static readonly int[] MajorSteps = [0, 2, 4, 5, 7, 9, 11];

    /// <summary>True when <paramref name="pitch"/>'s pitch class is one of the scale's.</summary>
    public bool Contains(int pitch)
    {
        int pc = ((pitch - Tonic) % 12 + 12) % 12;
        return Array.IndexOf(MajorSteps, pc) >= 0;
    }

    /// <summary>
    /// The scale that covers most of the music: each note adds its duration clipped to [0.05, 2] s to its pitch class;
    /// the major-scale pitch-class set with the largest total wins (ties: the lowest tonic). An empty score gives C.
    /// This is a covering rule, not a key-finding model (Krumhansl–Schmuckler also weighs which degrees are stressed);
    /// it only has to say whether a substituted note leaves the set of pitch classes the passage uses.
    /// </summary>
    public static DiatonicScale Estimate(IEnumerable<MidiNote> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var w = new double[12];
        foreach (var n in notes) w[(n.Pitch % 12 + 12) % 12] += Math.Clamp(n.Offset - n.Onset, 0.05, 2.0);
        int best = 0;
        double bestW = -1;
        for (int t = 0; t < 12; t++)
        {
            double s = 0;
            foreach (int step in MajorSteps) s += w[(t + step) % 12];
            if (s > bestW + 1e-12) { best = t; bestW = s; }
        }
        return new DiatonicScale(best);
    }
}
