namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Splits independent, memory-bound work (element-wise maps, per-channel statistics, pooling planes) over the cores.
/// Each index is processed by exactly one chunk and chunk boundaries depend only on the sizes, so results are
/// identical for any thread count and timing (no cross-thread reductions). Runs on the compute kernels' own worker
/// pool (<see cref="KernelParallel"/>, at most <see cref="Gemm.MaxThreads"/> threads) rather than the .NET thread
/// pool, so a training step never has more busy threads than the kernels are allowed.
/// </summary>
internal static class ParallelChunks
{
    /// <summary>Below this many elements of work the call stays on the calling thread.</summary>
    public const int MinParallelWork = 1 << 18;

    /// <summary>Runs <paramref name="body"/>(start, count) over [0, n) in contiguous chunks.</summary>
    public static void For(int n, long workPerItem, Action<int, int> body)
    {
        int threads = Math.Min(Gemm.MaxThreads, Math.Max(1, n));
        if (threads <= 1 || n * workPerItem < MinParallelWork) { body(0, n); return; }
        var job = new ChunkJob(n, (n + threads - 1) / threads, body);
        KernelParallel.Run(job, threads);
    }

    /// <summary>Chunks [k·size, (k + 1)·size) claimed one at a time.</summary>
    private sealed class ChunkJob(int n, int size, Action<int, int> body) : KernelJob
    {
        private int _next;

        public override void Execute(int participant, int count)
        {
            int k;
            while ((k = Interlocked.Increment(ref _next) - 1) * (long)size < n)
            {
                int s = k * size;
                body(s, Math.Min(size, n - s));
            }
        }
    }
}
