namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// The Midi stage's seeded generator for performance deviations (SplitMix64, see <see cref="SplitMix64"/>): identical
/// draws on every machine and .NET version. Streams are derived from (seed, purpose, index) with the same rule as
/// <c>Data.DeterministicRandom.For</c>, so one deviation's randomness does not depend on which others were applied.
/// </summary>
public sealed class PerformanceRandom : SplitMix64
{
    public PerformanceRandom(ulong state) : base(state) { }

    /// <summary>An independent stream for (<paramref name="seed"/>, <paramref name="stream"/>, <paramref name="index"/>).</summary>
    public static PerformanceRandom For(long seed, string stream, long index = 0)
    {
        ulong h = 14695981039346656037UL; // FNV-1a of the stream name
        foreach (char c in stream) { h ^= c; h *= 1099511628211UL; }
        var r = new PerformanceRandom((ulong)seed ^ Mix(h) ^ Mix((ulong)index * Golden + 0x632BE59BD9B4E019UL));
        r.NextUInt64();
        return r;
    }

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "must be > 0");
        return Math.Min(maxExclusive - 1, (int)(NextDouble() * maxExclusive));
    }

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Standard normal deviate (Box–Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
