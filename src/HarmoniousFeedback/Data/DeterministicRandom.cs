namespace HarmoniousFeedback.Data;

/// <summary>
/// A small, platform-independent PRNG (SplitMix64, Steele, Lea &amp; Flood 2014) so generated data is identical on every
/// .NET version and machine (<see cref="System.Random"/>'s algorithm is an implementation detail). Streams are derived
/// from (seed, stream id) so one item's randomness does not depend on how many other items were generated.
/// </summary>
public sealed class DeterministicRandom : SplitMix64
{
    public DeterministicRandom(ulong seed) : base(seed) { }

    /// <summary>An independent stream for (<paramref name="seed"/>, <paramref name="stream"/>, <paramref name="index"/>).</summary>
    public static DeterministicRandom For(long seed, string stream, long index)
    {
        ulong h = 14695981039346656037UL; // FNV-1a of the stream name
        foreach (char c in stream) { h ^= c; h *= 1099511628211UL; }
        var r = new DeterministicRandom((ulong)seed ^ Mix(h) ^ Mix((ulong)index * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL));
        r.NextUInt64();
        return r;
    }

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive)
    {
        if (maxExclusive <= min) throw new ArgumentOutOfRangeException(nameof(maxExclusive), $"empty range [{min}, {maxExclusive})");
        return min + (int)(NextDouble() * (maxExclusive - min));
    }

    /// <summary>Standard normal deviate (Box–Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count)];

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = Next(0, i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
