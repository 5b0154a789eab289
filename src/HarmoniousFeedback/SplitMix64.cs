namespace HarmoniousFeedback;

/// <summary>
/// The toolkit's one pseudo-random core: SplitMix64 (Steele, Lea &amp; Flood 2014). Its whole state is one
/// <see cref="ulong"/>, so it can be checkpointed exactly, and its output is identical on every .NET version and
/// machine (<see cref="System.Random"/>'s algorithm is an implementation detail). Stage-specific generators
/// (<c>Nn.NnRng</c>, <c>Midi.Deviations.PerformanceRandom</c>, <c>Data.DeterministicRandom</c>, <c>Evaluation.DeterministicRandom</c>) derive from it and add only
/// their seeding rules and sampling helpers.
/// </summary>
public class SplitMix64
{
    public const ulong Golden = 0x9E3779B97F4A7C15UL;

    public SplitMix64(ulong state) => State = state;

    /// <summary>The complete generator state.</summary>
    public ulong State { get; set; }

    /// <summary>The state a 32-bit seed maps to: <c>seed·φ64 + 0x632BE59BD9B4E019</c> (sign-extended seed).</summary>
    public static ulong StateFromSeed(int seed) => unchecked((ulong)(long)seed * Golden + 0x632BE59BD9B4E019UL);

    /// <summary>The SplitMix64 output function (a 64-bit finaliser).</summary>
    public static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64() => Mix(unchecked(State += Golden));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
