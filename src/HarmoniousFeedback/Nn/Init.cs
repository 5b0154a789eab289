namespace HarmoniousFeedback.Nn;

/// <summary>Parameter initialisation with PyTorch's default distributions, drawn from a seeded <see cref="SplitMix64"/> (usually an <see cref="NnRng"/>): U(a, b) as a + (b − a)·u with u = <see cref="SplitMix64.NextDouble"/>, N(0, 1) by <see cref="SplitMix64.NextGaussian"/>.</summary>
public static class Init
{
    /// <summary>U(−bound, bound) in place.</summary>
    public static void Uniform(Tensor t, float bound, SplitMix64 rng)
    {
        var d = t.Data;
        for (int i = 0; i < d.Length; i++) d[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
    }

    /// <summary>N(0, std²) in place.</summary>
    public static void Normal(Tensor t, float std, SplitMix64 rng)
    {
        var d = t.Data;
        for (int i = 0; i < d.Length; i++) d[i] = (float)(rng.NextGaussian() * std);
    }

    /// <summary>Xavier/Glorot uniform: bound = √(6/(fan_in + fan_out)).</summary>
    public static void XavierUniform(Tensor t, int fanIn, int fanOut, SplitMix64 rng) => Uniform(t, MathF.Sqrt(6f / (fanIn + fanOut)), rng);
}
