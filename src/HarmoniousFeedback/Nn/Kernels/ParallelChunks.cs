namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Splits independent, memory-bound work (element-wise maps, per-channel statistics, pooling planes) over the cores.
/// Each index is processed by exactly one chunk and chunk boundaries depend only on the sizes, so results are
/// identical for any thread count and timing (no cross-thread reductions).
/// </summary>
internal static class ParallelChunks
{
    /// <summary>Below this many elements of work the call stays on the calling thread.</summary>
    public const int MinParallelWork = 1 << 18;

    /// <summary>Runs <paramref name="body"/>(start, count) over [0, n) in contiguous chunks.</summary>
    public static void For(int n, long workPerItem, Action<int, int> body)
    {
        int threads = Math.Min(Environment.ProcessorCount, Math.Max(1, n));
        if (threads <= 1 || n * workPerItem < MinParallelWork) { body(0, n); return; }
        int chunk = (n + threads - 1) / threads;
        Parallel.For(0, threads, t =>
        {
            int s = t * chunk, len = Math.Min(chunk, n - s);
            if (len > 0) body(s, len);
        });
    }
}
