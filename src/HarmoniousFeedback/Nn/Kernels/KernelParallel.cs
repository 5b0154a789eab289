using System.Runtime.ExceptionServices;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// A unit of fork-join work for <see cref="KernelParallel"/>. <see cref="Execute"/> is called by every thread that
/// joins the fork-join — the caller always, workers only if they wake up before the caller has finished — so a job
/// must hand out its work dynamically (each piece claimed exactly once, e.g. with <see cref="Interlocked.Increment(ref int)"/>)
/// and must not assume how many threads, or which, take part. Kernels split work into pieces that depend only on the
/// shapes, so results never depend on timing.
/// </summary>
internal abstract class KernelJob
{
    /// <param name="participant">0 for the calling thread, 1 … for workers (informational).</param>
    /// <param name="count">Threads invited (an upper bound on the participants).</param>
    public abstract void Execute(int participant, int count);
}

/// <summary>
/// Minimal fork-join pool for the compute kernels: persistent background worker threads, no allocation per call,
/// the calling thread always works too. Only one fork-join runs at a time; a caller that finds the pool busy
/// (another thread's GEMM, or a kernel called from inside a job) runs the job alone. When the caller finishes before
/// an invited worker has even started (the machine is oversubscribed and the worker is not scheduled), the caller
/// closes the fork-join and returns without waiting for it; the late worker then skips the job.
/// </summary>
internal static class KernelParallel
{
    private static readonly object Lock = new();
    private static int s_busy;
    private static Worker[] s_workers = [];
    private static KernelJob? s_job;
    private static int s_count;
    private static bool s_open;
    private static int s_active;
    private static Exception? s_error;

    /// <summary>Upper bound on the threads invited to one fork-join.</summary>
    public const int MaxParticipants = 64;

    /// <summary>Runs <paramref name="job"/> on the calling thread and up to <c>count − 1</c> workers.</summary>
    public static void Run(KernelJob job, int count)
    {
        count = Math.Min(count, MaxParticipants);
        if (count <= 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            job.Execute(0, 1);
            return;
        }
        try
        {
            EnsureWorkers(count - 1);
            lock (Lock)
            {
                s_job = job;
                s_count = count;
                s_error = null;
                s_active = 0;
                s_open = true;
            }
            for (int i = 1; i < count; i++) s_workers[i - 1].Start.Release();
            Exception? own = null;
            try { job.Execute(0, count); }
            catch (Exception e) { own = e; }
            lock (Lock)
            {
                s_open = false;
                while (s_active > 0) Monitor.Wait(Lock);
                s_job = null;
            }
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
                KernelJob job;
                int count;
                lock (Lock)
                {
                    if (!s_open) continue;   // woke after the caller finished: nothing left to join
                    s_active++;
                    job = s_job!;
                    count = s_count;
                }
                try { job.Execute(_participant, count); }
                catch (Exception e) { Interlocked.CompareExchange(ref s_error, e, null); }
                lock (Lock)
                {
                    if (--s_active == 0) Monitor.PulseAll(Lock);
                }
            }
        }
    }
}
