using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>
/// Toy separable task: class k ∈ {0..3} puts a bump of +2 on feature k at one random time step of an otherwise
/// N(0, 0.3²) sequence [T, 4]. A model must find where the bump is (attention) and which feature it is on.
/// </summary>
internal sealed class ToySequenceData
{
    public readonly float[] X; public readonly long[] Y; public readonly int N, T, D = 4;
    public ToySequenceData(int n, int t, int seed)
    {
        N = n; T = t;
        var rng = new NnRng(seed);
        X = new float[n * t * D]; Y = new long[n];
        for (int i = 0; i < n; i++)
        {
            int k = rng.Next(4); Y[i] = k;
            for (int j = 0; j < t * D; j++) X[i * t * D + j] = (float)(rng.NextGaussian() * 0.3);
            X[(i * t + rng.Next(t)) * D + k] += 2f;
        }
    }
    public (Tensor X, long[] Y) Batch(int[] idx)
    {
        var x = new float[idx.Length * T * D];
        for (int b = 0; b < idx.Length; b++) X.AsSpan(idx[b] * T * D, T * D).CopyTo(x.AsSpan(b * T * D));
        return (new Tensor(x, idx.Length, T, D), idx.Select(i => Y[i]).ToArray());
    }
}
