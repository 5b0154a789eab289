using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Nn.Kernels;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// <c>hfb-bench gemm [--json] [--quick] [--batches N] [--filter text]</c>: SGEMM throughput (GFLOP/s = 2·m·n·k / time)
/// for square and NN-shaped products, with 1 and 2 threads. Each case runs several timed batches of ≈ 30 ms
/// (≈ 15 ms with --quick) and reports the best batch, which is the least disturbed by other load on the machine.
/// The table also shows GFLOP per CPU-second of the process (best batch): on a machine shared with other jobs this
/// tracks what the kernel does while it actually runs, where wall-clock GFLOP/s tracks the share of the CPUs it got.
/// JSON output carries the wall-clock values only.
/// </summary>
public sealed class GemmBench : IBenchSuite
{
    /// <summary>fp32 FMA peak of the 2-core reference machine as quoted in the issue (AVX-512, 2 FMA units per core).</summary>
    public const double PeakGflops2Threads = 228.0;

    public string Name => "gemm";
    public string Description => "SGEMM GFLOP/s: 512^3, 1024^3, LSTM- and conv-shaped products, 1 and 2 threads";

    private sealed record Case(string Name, bool TransA, bool TransB, int M, int N, int K, int Threads, string Note);

    private static IEnumerable<Case> Cases()
    {
        foreach (int t in new[] { 2, 1 })
        {
            string s = t == 2 ? "" : "_t1";
            yield return new("gemm512" + s, false, false, 512, 512, 512, t, "square");
            yield return new("gemm1024" + s, false, false, 1024, 1024, 1024, t, "square");
            yield return new("gemm1024_tn" + s, true, false, 1024, 1024, 1024, t, "A transposed");
            yield return new("gemm1024_nt" + s, false, true, 1024, 1024, 1024, t, "B transposed");
            // LSTM(50→128), batch 128: gates = x·W_ihᵀ and h·W_hhᵀ (weights stored [4H, in]); backward dW = dZᵀ·x, dh = dZ·W.
            yield return new("lstm_xw" + s, false, true, 128, 512, 50, t, "[128x50]·[50x512] (W_ih^T)");
            yield return new("lstm_hw" + s, false, true, 128, 512, 128, t, "[128x128]·[128x512] (W_hh^T)");
            yield return new("lstm_dw" + s, true, false, 512, 128, 128, t, "dW_hh = dZ^T·h");
            yield return new("lstm_dh" + s, false, false, 128, 128, 512, t, "dh = dZ·W_hh");
            // Conv im2col GEMMs of the 3-block CNN on 1×64×300 (per image): Y = W·cols, dW = dY·colsᵀ, dcols = Wᵀ·dY.
            yield return new("conv1_fwd" + s, false, false, 16, 19200, 9, t, "[16x9]·[9x19200]");
            yield return new("conv2_fwd" + s, false, false, 32, 4800, 144, t, "[32x144]·[144x4800]");
            yield return new("conv3_fwd" + s, false, false, 64, 1200, 288, t, "[64x288]·[288x1200]");
            yield return new("conv2_dw" + s, false, true, 32, 144, 4800, t, "dY·cols^T");
            yield return new("conv3_dw" + s, false, true, 64, 288, 1200, t, "dY·cols^T");
            yield return new("conv2_dx" + s, true, false, 144, 4800, 32, t, "W^T·dY");
            yield return new("conv3_dx" + s, true, false, 288, 1200, 64, t, "W^T·dY");
        }
    }

    public int Run(string[] args)
    {
        bool json = args.Contains("--json");
        bool quick = args.Contains("--quick");
        int batches = quick ? 5 : 15;
        string? filter = null;
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--batches") batches = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            if (args[i] == "--filter") filter = args[i + 1];
        }
        double batchSeconds = quick ? 0.015 : 0.03;
        int savedThreads = Gemm.MaxThreads;
        var results = new List<(Case Case, double Gflops, double CpuGflops)>();
        try
        {
            if (!json)
            {
                Console.WriteLine($"SGEMM ({Gemm.InstructionSet}), {Environment.ProcessorCount} logical CPUs, best of {batches} batches; peak {PeakGflops2Threads} GFLOP/s (2 threads) = {PeakGflops2Threads / 2} per thread");
                Console.WriteLine($"{"case",-16} {"shape (m x n x k)",-20} {"thr",3} {"GFLOP/s",9} {"% of 228",9} {"% thr peak",10} {"GF/CPU-s",9}  note");
            }
            foreach (var c in Cases())
            {
                if (filter is not null && !c.Name.Contains(filter, StringComparison.Ordinal)) continue;
                Gemm.MaxThreads = c.Threads;
                var (g, cpu) = Measure(c, batches, batchSeconds);
                results.Add((c, g, cpu));
                if (!json)
                    Console.WriteLine($"{c.Name,-16} {$"{c.M}x{c.N}x{c.K}{(c.TransA ? " tA" : "")}{(c.TransB ? " tB" : "")}",-20} {c.Threads,3} {g,9:F1} {100 * g / PeakGflops2Threads,8:F1}% {100 * g / (PeakGflops2Threads / 2 * c.Threads),9:F1}% {cpu,9:F1}  {c.Note}");
            }
        }
        finally
        {
            Gemm.MaxThreads = savedThreads;
        }
        if (json)
        {
            var rows = results.Select(r => new Dictionary<string, object> { ["case"] = r.Case.Name, ["value"] = Math.Round(r.Gflops, 2), ["unit"] = "GFLOP/s" });
            Console.WriteLine(JsonSerializer.Serialize(rows));
        }
        return 0;
    }

    /// <summary>Best wall-clock GFLOP/s and best GFLOP per process CPU-second over the batches.</summary>
    private static (double Wall, double Cpu) Measure(Case c, int batches, double batchSeconds)
    {
        int lda = c.TransA ? c.M : c.K, ldb = c.TransB ? c.K : c.N;
        var rng = new Random(42);
        var a = new float[(c.TransA ? c.K : c.M) * lda];
        var b = new float[(c.TransB ? c.N : c.K) * ldb];
        var cm = new float[c.M * c.N];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() - 0.5);
        for (int i = 0; i < b.Length; i++) b[i] = (float)(rng.NextDouble() - 0.5);
        double flops = 2.0 * c.M * c.N * c.K;
        void Once() => Gemm.Sgemm(c.TransA, c.TransB, c.M, c.N, c.K, 1f, a, lda, b, ldb, 0f, cm, c.N);

        // Warm up (JIT tiers, packing buffers, worker threads), then size a batch to ≈ batchSeconds.
        var sw = Stopwatch.StartNew();
        int warm = 0;
        while (sw.Elapsed.TotalSeconds < 0.05 || warm < 3) { Once(); warm++; }
        int reps = Math.Max(1, (int)(batchSeconds / (sw.Elapsed.TotalSeconds / warm)));
        double best = double.MaxValue, bestCpu = double.MaxValue;
        for (int bI = 0; bI < batches; bI++)
        {
            var cpu0 = Environment.CpuUsage.TotalTime;
            sw.Restart();
            for (int r = 0; r < reps; r++) Once();
            best = Math.Min(best, sw.Elapsed.TotalSeconds / reps);
            bestCpu = Math.Min(bestCpu, (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds / reps);
        }
        return (flops / best / 1e9, flops / bestCpu / 1e9);
    }
}
