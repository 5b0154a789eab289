namespace HarmoniousFeedback.Nn;

/// <summary>The generator a layer uses when it is created without an explicit <c>rng</c>.</summary>
public static class NnRandom
{
    /// <summary>
    /// An <see cref="NnRng"/> (the toolkit's <see cref="SplitMix64"/> core) with a fixed seed (default 0), so models built
    /// without a seed are still deterministic.
    /// </summary>
    public static NnRng Create(int? seed = null) => new(seed ?? 0);
}
