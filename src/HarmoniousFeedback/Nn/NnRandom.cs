namespace HarmoniousFeedback.Nn;

/// <summary>Seeds used when a layer is created without an explicit <see cref="Random"/>.</summary>
public static class NnRandom
{
    /// <summary>A <see cref="Random"/> with a fixed seed (default 0), so models built without a seed are still deterministic.</summary>
    public static Random Create(int? seed = null) => new(seed ?? 0);
}
