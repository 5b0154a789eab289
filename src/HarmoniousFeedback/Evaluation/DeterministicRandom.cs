namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// A small, version-stable pseudo-random generator (SplitMix64, Steele, Lea &amp; Flood 2014) used by every
/// resampling procedure in this stage, so that a seed gives the same folds and bootstrap samples on every
/// .NET version and platform (unlike <see cref="System.Random"/>, whose algorithm is an implementation detail).
/// </summary>
public sealed class DeterministicRandom : SplitMix64
{
    public DeterministicRandom(int seed) : base(StateFromSeed(seed)) { }

    /// <summary>A uniform integer in <c>[0, exclusiveMax)</c>, without modulo bias (Lemire's rejection method).</summary>
    public int NextInt(int exclusiveMax)
    {
        if (exclusiveMax <= 0) throw new ArgumentOutOfRangeException(nameof(exclusiveMax), exclusiveMax, "must be > 0");
        ulong range = (ulong)exclusiveMax;
        ulong threshold = (0UL - range) % range;
        while (true)
        {
            ulong r = NextUInt64();
            ulong hi = Math.BigMul(r, range, out ulong lo);
            if (lo >= threshold) return (int)hi;
        }
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
