using System.Runtime.ExceptionServices;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// A unit of fork-join work for <see cref="KernelParallel"/>: <see cref="Execute"/> is called once for every
/// participant index <c>0 … count−1</c>. Which OS thread runs which index is irrelevant to the result; kernels
/// derive their work split from the index only, so results never depend on timing.
/// </summary>
internal abstract class KernelJob
{
    public abstract void Execute(int participant, int count);
}

/// <summary>
/// Minimal fork-join pool for the compute kernels: persistent background worker threads, no allocation per call,
/// the calling thread runs participant 0. Only one fork-join runs at a time; a caller that finds the pool busy
/// (another thread's GEMM, or a kernel called from inside a job) runs all participants itself, in order — same
/// results, no deadlock, no oversubscription.
/// </summary>
internal static class KernelParallel
{
    private static int s_busy;
    private static readonly ManualResetEventSlim Done = new(false, spinCount: 200);
    private static Worker[] s_workers = [];
    private static KernelJob? s_job;
    private static int s_count;
    private static int s_pending;
    private static Exception? s_error;

    /// <summary>Upper bound on participants (threads) of one fork-join.</summary>
    public const int MaxParticipants = 64;

    /// <summary>Runs <c>job.Execute(i, count)</c> for i in [0, count), in parallel when the pool is free.</summary>
    public static void Run(KernelJob job, int count)
    {
        if (count <= 1)
        {
            job.Execute(0, 1);
            return;
        }
        count = Math.Min(count, MaxParticipants);
        if (Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) job.Execute(i, count);
            return;
        }
        try
        {
            EnsureWorkers(count - 1);
            s_job = job;
            s_count = count;
            s_error = null;
            Volatile.Write(ref s_pending, count - 1);
            Done.Reset();
            for (int i = 1; i < count; i++) s_workers[i - 1].Start.Release();
            Exception? own = null;
            try { job.Execute(0, count); }
            catch (Exception e) { own = e; }
            Done.Wait();
            s_job = null;
            var err = own ?? s_error;
            if (err is not null) ExceptionDispatchInfo.Capture(err).Throw();
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    private static void EnsureWorkers(int needed)
    {
        if (s_workers.Length >= needed) return;
        var grown = new Worker[needed];
        Array.Copy(s_workers, grown, s_workers.Length);
        for (int i = s_workers.Length; i < needed; i++) grown[i] = new Worker(i + 1);
        s_workers = grown;
    }

    private sealed class Worker
    {
        public readonly SemaphoreSlim Start = new(0);
        private readonly int _participant;

        public Worker(int participant)
        {
            _participant = participant;
            var t = new Thread(Loop) { IsBackground = true, Name = $"hf-kernel-{participant}" };
            t.Start();
        }

        private void Loop()
        {
            while (true)
            {
                Start.Wait();
                try { s_job!.Execute(_participant, s_count); }
                catch (Exception e) { Interlocked.CompareExchange(ref s_error, e, null); }
                if (Interlocked.Decrement(ref s_pending) == 0) Done.Set();
            }
        }
    }
}
