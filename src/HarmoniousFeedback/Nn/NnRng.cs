namespace HarmoniousFeedback.Nn;

/// <summary>
/// A small seeded generator (SplitMix64) whose whole state is one <see cref="ulong"/>, so checkpoints can save and
/// restore it exactly (System.Random cannot be serialised). Used for dropout masks, shuffling and initialisation.
/// </summary>
public sealed class NnRng : SplitMix64
{
    public NnRng(ulong seed) : base(seed) { }
    public NnRng(int seed) : base(StateFromSeed(seed)) { }

    /// <summary>Uniform integer in [0, maxExclusive).</summary>
    public int Next(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    /// <summary>A deterministic Fisher–Yates permutation of 0 … n−1.</summary>
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
