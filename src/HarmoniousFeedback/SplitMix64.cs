namespace HarmoniousFeedback;

/// <summary>
/// The toolkit's one pseudo-random core: SplitMix64 (Steele, Lea &amp; Flood 2014). Its whole state is one
/// <see cref="ulong"/>, so it can be checkpointed exactly, and its output is identical on every .NET version and
/// machine (<see cref="System.Random"/>'s algorithm is an implementation detail; the library never uses it). Every
/// stochastic component draws from it: weight initialisation (<c>Nn.Init</c>, <c>Tensor.Randn/Uniform</c>), dropout and
/// mini-batch shuffling (<c>Nn.NnRng</c>), planted performance deviations (<c>Midi.Deviations.PerformanceRandom</c>), the synthetic corpus (<c>Data.DeterministicRandom</c>), CV splits and the
/// bootstrap (<c>Evaluation.DeterministicRandom</c>), and the pipeline's per-component seeds
/// (<see cref="DeriveSeed"/>). Those stage types are thin wrappers that add seeding rules and, where a stage needs one,
/// a sampling helper; the generator, the seed derivations and the shared samplers live here only.
/// </summary>
public class SplitMix64
{
    /// <summary>2⁶⁴/φ, the SplitMix64 increment ("golden gamma").</summary>
    public const ulong Golden = 0x9E3779B97F4A7C15UL;

    public SplitMix64(ulong state) => State = state;

    /// <summary>The complete generator state.</summary>
    public ulong State { get; set; }

    /// <summary>The state a 32-bit seed maps to: <c>seed·φ64 + 0x632BE59BD9B4E019</c> (sign-extended seed).</summary>
    public static ulong StateFromSeed(int seed) => unchecked((ulong)(long)seed * Golden + 0x632BE59BD9B4E019UL);

    /// <summary>
    /// The state of an independent stream named (<paramref name="seed"/>, <paramref name="stream"/>, <paramref name="index"/>),
    /// so that one item's randomness does not depend on how many other items were drawn:
    /// <c>s₀ = seed ⊕ Mix(FNV-1a(stream)) ⊕ Mix(index·φ64 + 0x632BE59BD9B4E019)</c>, advanced by one step.
    /// </summary>
    public static ulong StreamState(long seed, string stream, long index)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ulong h = 14695981039346656037UL; // FNV-1a (64-bit) of the stream name's UTF-16 code units
        foreach (char c in stream) { h ^= c; h = unchecked(h * 1099511628211UL); }
        ulong s0 = (ulong)seed ^ Mix(h) ^ Mix(unchecked((ulong)index * Golden + 0x632BE59BD9B4E019UL));
        return unchecked(s0 + Golden);
    }

    /// <summary>
    /// A non-negative 31-bit seed for the <paramref name="index"/>-th component derived from <paramref name="seed"/>:
    /// the low 31 bits of <c>Mix((uint)seed·φ64 + index)</c>. Used by <c>HfContext.NextComponentSeed</c>.
    /// </summary>
    public static int DeriveSeed(int seed, long index)
        => (int)(Mix(unchecked((ulong)(uint)seed * Golden + (ulong)index)) & 0x7FFFFFFF);

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

    /// <summary>A uniform integer in <c>[0, maxExclusive)</c> without modulo bias (Lemire's multiply-and-reject method).</summary>
    /// <exception cref="OptionsValidationException"><paramref name="maxExclusive"/> ≤ 0.</exception>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new OptionsValidationException(nameof(NextInt), [$"maxExclusive = {maxExclusive} must be > 0"]);
        ulong range = (ulong)maxExclusive;
        ulong threshold = (0UL - range) % range;
        while (true)
        {
            ulong hi = Math.BigMul(NextUInt64(), range, out ulong lo);
            if (lo >= threshold) return (int)hi;
        }
    }

    /// <summary>
    /// ⌊u·<paramref name="maxExclusive"/>⌋ with u = <see cref="NextDouble"/>: one draw, a bias below
    /// maxExclusive/2⁵³. The synthetic corpus and the mini-batch shuffles were defined with it, so it stays next to the
    /// unbiased <see cref="NextInt"/>.
    /// </summary>
    public int NextIntScaled(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    /// <summary>A standard normal deviate by Box–Muller: √(−2 ln(1 − u₁))·cos(2π u₂), u₁ and u₂ from <see cref="NextDouble"/>.</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fisher–Yates shuffle in place, from the last element down, with the unbiased <see cref="NextInt"/>.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
