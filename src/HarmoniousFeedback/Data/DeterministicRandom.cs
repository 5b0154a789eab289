namespace HarmoniousFeedback.Data;

/// <summary>
/// The generator of generated data (the synthetic corpus): the toolkit's <see cref="SplitMix64"/> core with independent
/// streams per (seed, stream name, index) (<see cref="For"/>), so one item's randomness does not depend on how many
/// other items were generated, plus the corpus's sampling helpers. Integers come from the core's
/// <see cref="SplitMix64.NextIntScaled"/> (the corpus was defined with it; changing it would change every corpus).
/// </summary>
public sealed class DeterministicRandom : SplitMix64
{
    public DeterministicRandom(ulong seed) : base(seed) { }

    /// <summary>An independent stream for (<paramref name="seed"/>, <paramref name="stream"/>, <paramref name="index"/>): <see cref="SplitMix64.StreamState"/>.</summary>
    public static DeterministicRandom For(long seed, string stream, long index) => new(StreamState(seed, stream, index));

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    /// <exception cref="OptionsValidationException">The range is empty.</exception>
    public int Next(int min, int maxExclusive)
    {
        if (maxExclusive <= min) throw new OptionsValidationException(nameof(Next), [$"[min, maxExclusive) = [{min}, {maxExclusive}) is empty"]);
        return min + NextIntScaled(maxExclusive - min);
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>A uniformly chosen element.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count)];

    /// <summary>Fisher–Yates shuffle in place, from the last element down, with <see cref="Next"/>.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = Next(0, i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
