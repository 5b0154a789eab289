using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn.Kernels;

/// <summary>The kernels' fork-join pool: every piece runs exactly once, Run returns only after joined workers are done,
/// late workers skip finished jobs, errors reach the caller, concurrent callers do not deadlock.</summary>
public class KernelParallelTests
{
    private sealed class CountingJob : KernelJob
    {
        public int Pieces;
        public int[] Hits = [];
        public int InFlight;
        private int _next;

        public void Reset(int pieces)
        {
            Pieces = pieces;
            Hits = new int[pieces];
            _next = 0;
        }

        public override void Execute(int participant, int count)
        {
            Interlocked.Increment(ref InFlight);
            int p;
            while ((p = Interlocked.Increment(ref _next) - 1) < Pieces)
            {
                Interlocked.Increment(ref Hits[p]);
                if (p % 7 == 0) Thread.SpinWait(200);
            }
            Interlocked.Decrement(ref InFlight);
        }
    }

    [Fact]
    public void Every_piece_runs_once_and_no_worker_outlives_run()
    {
        var job = new CountingJob();
        for (int rep = 0; rep < 2000; rep++)
        {
            job.Reset(1 + rep % 37);
            KernelParallel.Run(job, 2 + rep % 3);
            Assert.Equal(0, Volatile.Read(ref job.InFlight));
            Assert.All(job.Hits, h => Assert.Equal(1, h));
        }
    }

    private sealed class ThrowingJob : KernelJob
    {
        private int _next;
        public override void Execute(int participant, int count)
        {
            if (Interlocked.Increment(ref _next) == 1) throw new InvalidOperationException("boom");
        }
    }

    [Fact]
    public void An_exception_in_a_piece_reaches_the_caller_and_the_pool_stays_usable()
    {
        var e = Assert.Throws<InvalidOperationException>(() => KernelParallel.Run(new ThrowingJob(), 2));
        Assert.Equal("boom", e.Message);
        var job = new CountingJob();
        job.Reset(10);
        KernelParallel.Run(job, 2);
        Assert.All(job.Hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void Concurrent_callers_complete()
    {
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var job = new CountingJob();
            for (int rep = 0; rep < 50; rep++)
            {
                job.Reset(20);
                KernelParallel.Run(job, 2);
                Assert.All(job.Hits, h => Assert.Equal(1, h));
            }
        });
    }
}
