using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Measures the machine's float32 fused-multiply-add throughput in-process — the "peak" that kernel efficiency
/// (GFLOP/s ÷ peak) is quoted against, instead of a constant from a datasheet. Each thread runs a register-only loop
/// of independent FMA chains (24 on AVX-512, 12 on AVX2: enough to cover FMA latency × FMA ports on current x86
/// cores) of the widest vectors <see cref="Gemm"/> uses; one FMA counts 2 FLOP per lane. The threads run at the same
/// time on the kernels' own worker pool (<see cref="KernelParallel"/>), so the figure includes what the VM actually
/// gives two concurrently busy cores (turbo, co-tenants). The best of several short rounds is kept: other load
/// only ever lowers a round.
/// </summary>
public static class FmaPeak
{
    /// <summary>
    /// Peak with <paramref name="threads"/> threads (default <see cref="Gemm.MaxThreads"/>): the best of
    /// <paramref name="rounds"/> rounds of about <paramref name="secondsPerRound"/> s each, as wall-clock GFLOP/s
    /// and as GFLOP per CPU-second of the process (the per-core rate while running — nearly independent of other load).
    /// </summary>
    public static PeakMeasurement Measure(int threads = 0, int rounds = 5, double secondsPerRound = 0.1)
    {
        if (threads <= 0) threads = Gemm.MaxThreads;
        if (rounds < 1 || secondsPerRound <= 0 || threads > KernelParallel.MaxParticipants)
            throw new HarmoniousFeedbackException($"FmaPeak.Measure: threads = {threads} (allowed 1–{KernelParallel.MaxParticipants}), rounds = {rounds} (≥ 1), secondsPerRound = {secondsPerRound} (> 0)");
        // calibrate the iteration count on one thread so a round lasts about secondsPerRound
        long iters = 1 << 16;
        Loop(iters);
        var sw = Stopwatch.StartNew();
        Loop(iters);
        double t = Math.Max(sw.Elapsed.TotalSeconds, 1e-6);
        iters = Math.Max(1 << 16, (long)(iters * secondsPerRound / t));
        var job = new PeakJob(iters, threads);
        double best = 0, bestCpu = 0;
        for (int r = 0; r < rounds; r++)
        {
            job.Reset();
            var cpu0 = Environment.CpuUsage.TotalTime;
            sw.Restart();
            KernelParallel.Run(job, threads);
            double s = sw.Elapsed.TotalSeconds;
            double cpu = (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds;
            double gflop = job.Done * (double)iters * FlopPerIteration / 1e9;
            best = Math.Max(best, gflop / s);
            if (cpu > 0) bestCpu = Math.Max(bestCpu, gflop / cpu);
        }
        return new PeakMeasurement(threads, best, bestCpu);
    }

    /// <summary>Result of <see cref="Measure"/>.</summary>
    /// <param name="Threads">Threads that ran the loop at the same time.</param>
    /// <param name="Gflops">Wall-clock GFLOP/s of all threads together (the peak a 2-thread kernel is compared with).</param>
    /// <param name="GflopsPerCpuSecond">GFLOP per CPU-second: one core's rate while it runs.</param>
    public readonly record struct PeakMeasurement(int Threads, double Gflops, double GflopsPerCpuSecond);

    /// <summary>FLOP per loop iteration: chains × lanes × 2.</summary>
    private static int FlopPerIteration => Avx512F.IsSupported ? 24 * 16 * 2 : Fma.IsSupported ? 12 * 8 * 2 : 8 * System.Numerics.Vector<float>.Count * 2;

    private sealed class PeakJob(long iters, int shares) : KernelJob
    {
        private int _next;
        public int Done;

        public void Reset() { _next = 0; Done = 0; }

        public override void Execute(int participant, int count)
        {
            while (Interlocked.Increment(ref _next) - 1 < shares)
            {
                Loop(iters);
                Interlocked.Increment(ref Done);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop(long iters)
    {
        if (Avx512F.IsSupported) return Loop512(iters);
        if (Fma.IsSupported) return Loop256(iters);
        // no FMA: the same chain count with separate multiply and add (what the scalar fallback kernels do)
        var m = new System.Numerics.Vector<float>(0.999f);
        var c = new System.Numerics.Vector<float>(1e-4f);
        System.Numerics.Vector<float> a0 = System.Numerics.Vector<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (long i = 0; i < iters; i++)
        {
            a0 = a0 * m + c; a1 = a1 * m + c; a2 = a2 * m + c; a3 = a3 * m + c; a4 = a4 * m + c; a5 = a5 * m + c; a6 = a6 * m + c; a7 = a7 * m + c;
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7)[0];
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop256(long iters)
    {
        var m = Vector256.Create(0.999f);
        var c = Vector256.Create(1e-4f);
        Vector256<float> a0 = Vector256<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iters; i++)
        {
            a0 = Fma.MultiplyAdd(a0, m, c); a1 = Fma.MultiplyAdd(a1, m, c); a2 = Fma.MultiplyAdd(a2, m, c); a3 = Fma.MultiplyAdd(a3, m, c);
            a4 = Fma.MultiplyAdd(a4, m, c); a5 = Fma.MultiplyAdd(a5, m, c); a6 = Fma.MultiplyAdd(a6, m, c); a7 = Fma.MultiplyAdd(a7, m, c);
            a8 = Fma.MultiplyAdd(a8, m, c); a9 = Fma.MultiplyAdd(a9, m, c); a10 = Fma.MultiplyAdd(a10, m, c); a11 = Fma.MultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop512(long iters)
    {
        var m = Vector512.Create(0.999f);
        var c = Vector512.Create(1e-4f);
        Vector512<float> a0 = Vector512<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        Vector512<float> b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0, b8 = a0, b9 = a0, b10 = a0, b11 = a0;
        for (long i = 0; i < iters; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, c); a1 = Avx512F.FusedMultiplyAdd(a1, m, c); a2 = Avx512F.FusedMultiplyAdd(a2, m, c); a3 = Avx512F.FusedMultiplyAdd(a3, m, c);
            a4 = Avx512F.FusedMultiplyAdd(a4, m, c); a5 = Avx512F.FusedMultiplyAdd(a5, m, c); a6 = Avx512F.FusedMultiplyAdd(a6, m, c); a7 = Avx512F.FusedMultiplyAdd(a7, m, c);
            a8 = Avx512F.FusedMultiplyAdd(a8, m, c); a9 = Avx512F.FusedMultiplyAdd(a9, m, c); a10 = Avx512F.FusedMultiplyAdd(a10, m, c); a11 = Avx512F.FusedMultiplyAdd(a11, m, c);
            b0 = Avx512F.FusedMultiplyAdd(b0, m, c); b1 = Avx512F.FusedMultiplyAdd(b1, m, c); b2 = Avx512F.FusedMultiplyAdd(b2, m, c); b3 = Avx512F.FusedMultiplyAdd(b3, m, c);
            b4 = Avx512F.FusedMultiplyAdd(b4, m, c); b5 = Avx512F.FusedMultiplyAdd(b5, m, c); b6 = Avx512F.FusedMultiplyAdd(b6, m, c); b7 = Avx512F.FusedMultiplyAdd(b7, m, c);
            b8 = Avx512F.FusedMultiplyAdd(b8, m, c); b9 = Avx512F.FusedMultiplyAdd(b9, m, c); b10 = Avx512F.FusedMultiplyAdd(b10, m, c); b11 = Avx512F.FusedMultiplyAdd(b11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + b0 + b1 + b2 + b3 + b4 + b5 + b6 + b7 + b8 + b9 + b10 + b11);
    }
}
