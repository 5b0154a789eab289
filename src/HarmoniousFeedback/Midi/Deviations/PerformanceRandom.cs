namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// The Midi stage's seeded generator for performance deviations (SplitMix64, see <see cref="SplitMix64"/>): identical
/// draws on every machine and .NET version. Streams are derived from (seed, purpose, index) by
/// <see cref="SplitMix64.StreamState"/> (the rule of <c>Data.DeterministicRandom.For</c>), so one deviation's randomness
/// does not depend on which others were applied; <see cref="SplitMix64.NextGaussian"/> comes from the core.
/// </summary>
public sealed class PerformanceRandom : SplitMix64
{
    public PerformanceRandom(ulong state) : base(state) { }

    /// <summary>An independent stream for (<paramref name="seed"/>, <paramref name="stream"/>, <paramref name="index"/>): <see cref="SplitMix64.StreamState"/>.</summary>
    public static PerformanceRandom For(long seed, string stream, long index = 0) => new(StreamState(seed, stream, index));

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new OptionsValidationException(nameof(Next), [$"maxExclusive = {maxExclusive} must be > 0"]);
        return Math.Min(maxExclusive - 1, NextIntScaled(maxExclusive));
    }

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>True with probability <paramref name="p"/>.</summary>
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
