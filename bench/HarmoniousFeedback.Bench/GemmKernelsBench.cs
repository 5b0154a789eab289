using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json;
using HarmoniousFeedback.Nn.Kernels;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// <c>hfb-bench nnkernels [--json] [--quick]</c>: the convolution kernels on the layers of the 3-block CNN
/// (batch 32, input 1×64×300; 3×3, pad 1: 1→16 @64×300, 16→32 @32×150, 32→64 @16×75) — forward, input gradient and
/// weight+bias gradient, in ms per call and GFLOP/s (2·N·O·C·9·H·W per pass) — and the gate activations
/// (sigmoid, tanh on 128×512 floats) against <c>TensorPrimitives</c>, in ns per element. Best of several batches,
/// with <see cref="Gemm.MaxThreads"/> threads.
/// </summary>
public sealed class GemmKernelsBench : IBenchSuite
{
    public string Name => "nnkernels";
    public string Description => "conv2d forward/backward on the CNN's layers (batch 32) and sigmoid/tanh gate kernels";

    public int Run(string[] args)
    {
        bool json = args.Contains("--json");
        bool quick = args.Contains("--quick");
        int batches = quick ? 5 : 15;
        var rows = new List<(string Case, double Value, string Unit, string Extra)>();
        string? filter = null;
        for (int i = 0; i < args.Length - 1; i++) if (args[i] == "--filter") filter = args[i + 1];
        bool all = args.Contains("--all-algorithms");
        for (int i = 0; i < args.Length - 1; i++) if (args[i] == "--threads") Gemm.MaxThreads = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
        var pk = FmaPeak.Measure();
        double peak = pk.Gflops;
        rows.Add(("fma_peak", peak, "GFLOP/s", $"{Gemm.MaxThreads} threads; {pk.GflopsPerCpuSecond:F1} GFLOP per CPU-second"));
        foreach (var (name, g) in ConvLayers())
        {
            if (filter is not null && !name.Contains(filter, StringComparison.Ordinal)) continue;
            var x = Fill(g.InputSize, 1);
            var w = Fill(g.WeightSize, 2);
            var b = Fill(g.OutChannels, 3);
            var y = new float[g.OutputSize];
            var dy = Fill(g.OutputSize, 4);
            var dx = new float[g.InputSize];
            var dw = new float[g.WeightSize];
            var db = new float[g.OutChannels];
            double flops = 2.0 * g.Batch * g.OutChannels * g.PatchSize * g.OutH * g.OutW;
            void Add(string pass, ConvAlgorithm algo, Action f)
            {
                var (s, cpu) = BestWithCpu(f, batches);
                string tag = algo == ConvKernels.Choose(g, pass switch { "fwd" => ConvPass.Forward, "bwd_input" => ConvPass.BackwardInput, _ => ConvPass.BackwardWeight }) ? "" : $"_{algo}";
                rows.Add(($"{name}_{pass}{tag}", s * 1e3, "ms", $"{flops / s / 1e9,7:F1} GFLOP/s {100 * flops / s / 1e9 / peak,5:F1} % of peak | {flops / cpu / 1e9,6:F1} GFLOP/CPU-s {100 * flops / cpu / 1e9 / pk.GflopsPerCpuSecond,5:F1} %  ({algo})"));
            }
            foreach (var algo in Enum.GetValues<ConvAlgorithm>())
            {
                if (!ConvKernels.IsSupported(g, algo)) continue;
                bool chosen = algo == ConvKernels.Choose(g, ConvPass.Forward);
                if (!all && !chosen) continue;
                Add("fwd", algo, () => ConvKernels.Conv2dForward(g, x, w, b, y, algo));
                Add("bwd_input", algo, () => ConvKernels.Conv2dBackwardInput(g, dy, w, dx, false, algo));
                Add("bwd_weight", algo, () => ConvKernels.Conv2dBackwardWeight(g, x, dy, dw, db, false, algo));
            }
        }

        // the fused BatchNorm → ReLU → MaxPool2d(2) block on each conv layer's output (training mode, forward and backward);
        // GB/s counts the least traffic the block needs: forward reads x twice (statistics, pooling) and writes y (¼ of x),
        // backward reads x twice (selection, scatter), y and g twice, and writes dx
        foreach (var (name, g) in ConvLayers())
        {
            string bname = name.Replace("conv", "bnpool", StringComparison.Ordinal);
            if (filter is not null && !bname.Contains(filter, StringComparison.Ordinal)) continue;
            int c = g.OutChannels;
            var x = HarmoniousFeedback.Nn.Tensor.Randn(new HarmoniousFeedback.Nn.NnRng(8), g.Batch, c, g.OutH, g.OutW).RequiresGrad_();
            var rm = HarmoniousFeedback.Nn.Tensor.Zeros(c); var rv = HarmoniousFeedback.Nn.Tensor.Ones(c);
            var bw = HarmoniousFeedback.Nn.Tensor.Ones(c).RequiresGrad_(); var bb = HarmoniousFeedback.Nn.Tensor.Zeros(c).RequiresGrad_();
            var gy = HarmoniousFeedback.Nn.Tensor.Randn(new HarmoniousFeedback.Nn.NnRng(9), g.Batch, c, g.OutH / 2, g.OutW / 2);
            double bytes = 4.0 * x.Count;
            var (fs, fcpu) = BestWithCpu(() => { using var _ = HarmoniousFeedback.Nn.Tensor.NoGrad(); HarmoniousFeedback.Nn.F.BatchNormReluMaxPool2x2(x, rm, rv, bw, bb, training: true); }, batches);
            rows.Add(($"{bname}_fwd", fs * 1e3, "ms", $"{2.25 * bytes / fs / 1e9,7:F1} GB/s | {fcpu * 1e3,8:F2} CPU-ms"));
            var (ts, tcpu) = BestWithCpu(() =>
            {
                x.Grad = null; bw.Grad = null; bb.Grad = null;
                HarmoniousFeedback.Nn.F.BatchNormReluMaxPool2x2(x, rm, rv, bw, bb, training: true).Backward(gy);
            }, batches);
            double bs = ts - fs, bcpu = tcpu - fcpu;
            rows.Add(($"{bname}_bwd", bs * 1e3, "ms", $"{3.5 * bytes / bs / 1e9,7:F1} GB/s | {bcpu * 1e3,8:F2} CPU-ms (forward+backward minus forward)"));
        }

        // the first HFN block (1→16, 3×3 on 1×128×300, batch 32) through Sequential — fused, the convolution output never
        // stored — and as Conv2d followed by the fused BatchNorm → ReLU → MaxPool op; forward (training) and forward + backward
        foreach (bool fusedBlock in new[] { true, false })
        {
            string bname = fusedBlock ? "hfn_block1_fused" : "hfn_block1_separate";
            if (filter is not null && !bname.Contains(filter, StringComparison.Ordinal)) continue;
            var rng = new HarmoniousFeedback.Nn.NnRng(10);
            var conv = new HarmoniousFeedback.Nn.Conv2d(1, 16, 3, 1, 1, rng: rng);
            var bn = new HarmoniousFeedback.Nn.BatchNorm2d(16);
            var seq = new HarmoniousFeedback.Nn.Sequential(conv, bn, new HarmoniousFeedback.Nn.ReLU(), new HarmoniousFeedback.Nn.MaxPool2d(2));
            var x = HarmoniousFeedback.Nn.Tensor.Randn(new HarmoniousFeedback.Nn.NnRng(11), 32, 1, 128, 300);
            HarmoniousFeedback.Nn.Tensor Fwd() => fusedBlock ? seq.Forward(x) : bn.ForwardReluMaxPool2x2(conv.Forward(x));
            var gy = HarmoniousFeedback.Nn.Tensor.Randn(new HarmoniousFeedback.Nn.NnRng(12), 32, 16, 64, 150);
            double flops = 2.0 * 32 * 16 * 9 * 128 * 300;
            var (fs, fcpu) = BestWithCpu(() => Fwd(), batches);
            rows.Add(($"{bname}_fwd", fs * 1e3, "ms", $"{flops / fs / 1e9,7:F1} GFLOP/s (conv FLOP) | {fcpu * 1e3,8:F2} CPU-ms"));
            var (ts, tcpu) = BestWithCpu(() => { conv.Weight.Grad = null; conv.Bias!.Grad = null; bn.Weight.Grad = null; bn.Bias.Grad = null; Fwd().Backward(gy); }, batches);
            rows.Add(($"{bname}_bwd", (ts - fs) * 1e3, "ms", $"{flops / (ts - fs) / 1e9,7:F1} GFLOP/s (conv FLOP) | {(tcpu - fcpu) * 1e3,8:F2} CPU-ms (forward+backward minus forward)"));
        }

        const int n = 128 * 512;
        var src = Fill(n, 5);
        for (int i = 0; i < n; i++) src[i] *= 8;
        var dst = new float[n];
        void AddAct(string name, Action<float[], float[]> f)
        {
            if (filter is not null && !name.Contains(filter, StringComparison.Ordinal)) return;
            double s = Best(() => f(src, dst), batches);
            rows.Add((name, s / n * 1e9, "ns/element", ""));
        }
        AddAct("sigmoid_hf", (a, o) => Activations.Sigmoid(a, o));
        AddAct("sigmoid_tensorprimitives", (a, o) => TensorPrimitives.Sigmoid(a, o));
        AddAct("tanh_hf", (a, o) => Activations.Tanh(a, o));
        AddAct("tanh_tensorprimitives", (a, o) => TensorPrimitives.Tanh(a, o));

        if (json)
            Console.WriteLine(JsonSerializer.Serialize(rows.Select(r => new Dictionary<string, object> { ["case"] = r.Case, ["value"] = Math.Round(r.Value, 4), ["unit"] = r.Unit })));
        else
        {
            Console.WriteLine($"NN kernels ({Gemm.InstructionSet}), Gemm.MaxThreads = {Gemm.MaxThreads}, best of {batches} batches; FMA peak measured in-process: {peak:F1} GFLOP/s");
            foreach (var r in rows) Console.WriteLine($"{r.Case,-34} {r.Value,10:F3} {r.Unit,-11} {r.Extra}");
        }
        return 0;
    }

    /// <summary>The 3×3, padding-1 layers of the benchmark CNNs at batch 32: <c>cnn3_64x300</c> (1×64×300 input) and the
    /// HFN encoder (<c>hfn_128x300</c>: 1×128×300 log-mel, channels 1→16→32→64→64, 2×2 max-pool after each).</summary>
    public static IReadOnlyList<(string Name, Conv2dGeometry Geometry)> ConvLayers() =>
    [
        ("cnn3_conv1", new Conv2dGeometry(32, 1, 64, 300, 16, 3, 3, 1, 1)),
        ("cnn3_conv2", new Conv2dGeometry(32, 16, 32, 150, 32, 3, 3, 1, 1)),
        ("cnn3_conv3", new Conv2dGeometry(32, 32, 16, 75, 64, 3, 3, 1, 1)),
        ("hfn_conv1", new Conv2dGeometry(32, 1, 128, 300, 16, 3, 3, 1, 1)),
        ("hfn_conv2", new Conv2dGeometry(32, 16, 64, 150, 32, 3, 3, 1, 1)),
        ("hfn_conv3", new Conv2dGeometry(32, 32, 32, 75, 64, 3, 3, 1, 1)),
        ("hfn_conv4", new Conv2dGeometry(32, 64, 16, 37, 64, 3, 3, 1, 1)),
    ];

    /// <summary>Best wall seconds per call and best process CPU-seconds per call over <paramref name="batches"/> batches of ≈ 30 ms.</summary>
    private static (double Wall, double Cpu) BestWithCpu(Action f, int batches)
    {
        var sw = Stopwatch.StartNew();
        int warm = 0;
        while (sw.Elapsed.TotalSeconds < 0.05 || warm < 2) { f(); warm++; }
        int reps = Math.Max(1, (int)(0.03 / (sw.Elapsed.TotalSeconds / warm)));
        double best = double.MaxValue, bestCpu = double.MaxValue;
        for (int b = 0; b < batches; b++)
        {
            var cpu0 = Environment.CpuUsage.TotalTime;
            sw.Restart();
            for (int r = 0; r < reps; r++) f();
            best = Math.Min(best, sw.Elapsed.TotalSeconds / reps);
            bestCpu = Math.Min(bestCpu, (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds / reps);
        }
        return (best, bestCpu);
    }

    /// <summary>Best seconds per call over <paramref name="batches"/> batches of ≈ 30 ms after a warm-up.</summary>
    private static double Best(Action f, int batches)
    {
        var sw = Stopwatch.StartNew();
        int warm = 0;
        while (sw.Elapsed.TotalSeconds < 0.05 || warm < 2) { f(); warm++; }
        int reps = Math.Max(1, (int)(0.03 / (sw.Elapsed.TotalSeconds / warm)));
        double best = double.MaxValue;
        for (int b = 0; b < batches; b++)
        {
            sw.Restart();
            for (int r = 0; r < reps; r++) f();
            best = Math.Min(best, sw.Elapsed.TotalSeconds / reps);
        }
        return best;
    }

    private static float[] Fill(int count, int seed)
    {
        var rng = new Random(seed);
        var a = new float[count];
        for (int i = 0; i < count; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }
}
