namespace HarmoniousFeedback.Nn;

/// <summary>
/// The engine's generator: the toolkit's <see cref="SplitMix64"/> core, whose one-<see cref="ulong"/> state checkpoints
/// save and restore exactly (<see cref="Module.RegisterRng"/>; System.Random cannot be serialised). Used for dropout
/// masks, mini-batch shuffling and weight initialisation (<see cref="Init"/>, <see cref="Tensor.Randn"/>,
/// <see cref="Tensor.Uniform"/>; every layer's <c>rng</c> parameter takes any <see cref="SplitMix64"/>).
/// </summary>
public sealed class NnRng : SplitMix64
{
    public NnRng(ulong seed) : base(seed) { }
    public NnRng(int seed) : base(StateFromSeed(seed)) { }

    /// <summary>Uniform integer in [0, maxExclusive): <see cref="SplitMix64.NextIntScaled"/> (the mini-batch shuffles were defined with it).</summary>
    public int Next(int maxExclusive) => NextIntScaled(maxExclusive);

    /// <summary>A Fisher–Yates permutation of 0 … n−1 (from the last element down, with <see cref="Next"/>).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
