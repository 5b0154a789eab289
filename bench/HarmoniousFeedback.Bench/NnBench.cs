using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Features.Symbolic;
using HarmoniousFeedback.Models.Multimodal;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Kernels;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// <c>hfb-bench nn [--json] [--quick] [--filter text] [--profile] [--threads n]</c>: training throughput of the engine on the issue's models —
/// one full step (forward, cross-entropy, backward, optimizer step) per iteration; reports samples (sequences or
/// images) per second, the best of several timed batches (the least disturbed by other load).
/// <list type="bullet">
/// <item><c>lstm2_seq10</c>, <c>lstm3_seq10</c>, <c>lstm2_seq150</c>: LSTM(50→128, 2 or 3 layers, batch_first) →
/// additive attention (A = 128) → Linear(128→4), batch 128, SGD(lr 0.01, momentum 0.9).</item>
/// <item><c>lstm2_seq150_noattn</c>: the same without attention (last time step → Linear).</item>
/// <item><c>cnn3_64x300</c>: 3 × [Conv2d 3×3 p1 → BatchNorm2d → ReLU → MaxPool2d 2] (1→16→32→64 channels) →
/// AdaptiveAvgPool2d 1 → Linear(64→4) on 1×64×300, batch 32, AdamW(lr 1e-3).</item>
/// <item><c>hfn_128x300</c>: the HFN encoder (<see cref="HfnEncoder"/>) on 1×128×300, batch 32, AdamW(lr 1e-3).</item>
/// <item><c>fusion_emopia</c>: the multimodal fusion network (<see cref="MultimodalFusion"/>, default options: attention over
/// modality tokens, d = 64) as the <c>multimodal-emopia</c> clip-stats rows read EMOPIA — LLD [13 × 50], score and
/// performance segment sequences [13 × F] (13 steps of 3 s: EMOPIA's median clip) and the two clip vectors — batch 32,
/// AdamW(lr 1e-3, wd 1e-2), cross-entropy with label smoothing 0.1.</item>
/// <item><c>joint_audio_text</c>: the audio–text joint network (<see cref="JointAudioText"/>, default options) on LLD [13 × 50]
/// and 256 text tokens of a 4,000-word vocabulary, batch 32, AdamW(lr 1e-3, wd 1e-2), main cross-entropy plus the arousal
/// and valence auxiliary cross-entropies (weight ½ each, as <c>JointAudioTextTrainer</c>).</item>
/// </list>
/// </summary>
public sealed class NnBench : IBenchSuite
{
    public string Name => "nn";
    public string Description => "NN engine training throughput: LSTM(+attention) seq 10/150, 3-block CNN on 1x64x300, HFN encoder on 1x128x300, the EMOPIA fusion and audio-text networks";

    private sealed class LstmModel : Module
    {
        private readonly LSTM _lstm; private readonly AdditiveAttentionPooling? _attn; private readonly Linear _fc;
        public LstmModel(int layers, bool attention)
        {
            var rng = new NnRng(1);
            _lstm = RegisterModule("lstm", new LSTM(50, 128, layers, batchFirst: true, rng: rng));
            if (attention) _attn = RegisterModule("attn", new AdditiveAttentionPooling(128, 128, rng));
            _fc = RegisterModule("fc", new Linear(128, 4, rng: rng));
        }
        public Tensor Forward(Tensor x)
        {
            var (y, hn, _) = _lstm.Forward(x);
            var pooled = _attn is null ? hn.Select(0, hn.Shape[0] - 1) : _attn.Forward(y).Context;
            return _fc.Forward(pooled);
        }
    }

    private sealed class Cnn3 : Module
    {
        private readonly Sequential _features; private readonly Linear _fc;
        public Cnn3()
        {
            var rng = new NnRng(2);
            UnaryModule[] Block(int cin, int cout) => [new Conv2d(cin, cout, 3, 1, 1, rng: rng), new BatchNorm2d(cout), new ReLU(), new MaxPool2d(2)];
            _features = RegisterModule("features", new Sequential([.. Block(1, 16), .. Block(16, 32), .. Block(32, 64), new AdaptiveAvgPool2d(1), new Flatten()]));
            _fc = RegisterModule("fc", new Linear(64, 4, rng: rng));
        }
        public Tensor Forward(Tensor x) => _fc.Forward(_features.Forward(x));
    }

    /// <summary>
    /// The HFN encoder as fixed for the teaching-feedback model: 4 × [Conv2d 3×3 s1 p1 → BatchNorm2d → ReLU →
    /// MaxPool2d 2] with channels 1→16→32→64→64 on a 1×128×T log-mel (T = 300: 3 s), global average pooling over
    /// (freq, time), then two Linear heads on the 64-dim embedding: 7-way classification and 6-dim regression
    /// (loss = cross-entropy + MSE).
    /// </summary>
    private sealed class HfnEncoder : Module
    {
        private readonly Sequential _features; private readonly Linear _cls, _reg;
        public HfnEncoder()
        {
            var rng = new NnRng(5);
            UnaryModule[] Block(int cin, int cout) => [new Conv2d(cin, cout, 3, 1, 1, rng: rng), new BatchNorm2d(cout), new ReLU(), new MaxPool2d(2)];
            _features = RegisterModule("features", new Sequential([.. Block(1, 16), .. Block(16, 32), .. Block(32, 64), .. Block(64, 64), new AdaptiveAvgPool2d(1), new Flatten()]));
            _cls = RegisterModule("cls", new Linear(64, 7, rng: rng));
            _reg = RegisterModule("reg", new Linear(64, 6, rng: rng));
        }
        public (Tensor Logits, Tensor Scores) Forward(Tensor x)
        {
            var e = _features.Forward(x);
            return (_cls.Forward(e), _reg.Forward(e));
        }
    }

    private sealed record Case(string Name, string Unit, int Batch, Func<Action> Build);

    private static IEnumerable<Case> Cases()
    {
        Case Lstm(string name, int layers, int seq, bool attn) => new(name, "seq/s", 128, () =>
        {
            var m = new LstmModel(layers, attn);
            var opt = new SGD(m.Parameters(), 0.01, momentum: 0.9);
            var x = Tensor.Randn(new NnRng(3), 128, seq, 50);
            var y = Enumerable.Range(0, 128).Select(i => (long)(i % 4)).ToArray();
            return () => { opt.ZeroGrad(); F.CrossEntropy(m.Forward(x), y).Backward(); opt.Step(); };
        });
        yield return Lstm("lstm2_seq10", 2, 10, true);
        yield return Lstm("lstm3_seq10", 3, 10, true);
        yield return Lstm("lstm2_seq150", 2, 150, true);
        yield return Lstm("lstm2_seq150_noattn", 2, 150, false);
        yield return new("cnn3_64x300", "samples/s", 32, () =>
        {
            var m = new Cnn3();
            var opt = new AdamW(m.Parameters(), 1e-3);
            var x = Tensor.Randn(new NnRng(4), 32, 1, 64, 300);
            var y = Enumerable.Range(0, 32).Select(i => (long)(i % 4)).ToArray();
            return () => { opt.ZeroGrad(); F.CrossEntropy(m.Forward(x), y).Backward(); opt.Step(); };
        });
        yield return new("hfn_128x300", "samples/s", 32, () =>
        {
            var m = new HfnEncoder();
            var opt = new AdamW(m.Parameters(), 1e-3);
            var x = Tensor.Randn(new NnRng(6), 32, 1, 128, 300);
            var y = Enumerable.Range(0, 32).Select(i => (long)(i % 7)).ToArray();
            var t = Tensor.Randn(new NnRng(7), 32, 6);
            return () =>
            {
                opt.ZeroGrad();
                var (logits, scores) = m.Forward(x);
                (F.CrossEntropy(logits, y) + F.MseLoss(scores, t)).Backward();
                opt.Step();
            };
        });
        yield return new("fusion_emopia", "samples/s", 32, () =>
        {
            const int batch = 32, steps = 13;
            int fs = SymbolicFeatureExtractor.ScoreColumns.Count, fp = SymbolicFeatureExtractor.PerformanceColumns.Count;
            ModalitySpec[] specs = [new("lld", true, 50), new("score", true, fs), new("performance", true, fp), new("score-clip", false, fs), new("performance-clip", false, fp)];
            var m = new MultimodalFusion(specs, 4, new MultimodalFusionOptions(), seed: 8);
            var opt = new AdamW(m.Parameters(), 1e-3, weightDecay: 1e-2);
            var rng = new NnRng(9);
            var lengths = Enumerable.Repeat(steps, batch).ToArray();
            var inputs = specs.Select(sp => sp.IsSequence
                ? new ModalityInput(Tensor.Randn(rng, batch, steps, sp.Features), lengths)
                : new ModalityInput(Tensor.Randn(rng, batch, sp.Features), null)).ToArray();
            var y = Enumerable.Range(0, batch).Select(i => (long)(i % 4)).ToArray();
            m.Train();
            return () => { opt.ZeroGrad(); F.CrossEntropy(m.Forward(inputs).Logits, y, labelSmoothing: 0.1f).Backward(); opt.Step(); };
        });
        yield return new("joint_audio_text", "samples/s", 32, () =>
        {
            const int batch = 32, steps = 13, tokens = 256, vocabulary = 4000;
            var m = new JointAudioText([new ModalitySpec("lld", true, 50)], vocabulary, 4, new JointAudioTextOptions(), seed: 10);
            var opt = new AdamW(m.Parameters(), 1e-3, weightDecay: 1e-2);
            var rng = new NnRng(11);
            ModalityInput[] audio = [new(Tensor.Randn(rng, batch, steps, 50), Enumerable.Repeat(steps, batch).ToArray())];
            var ids = new long[batch * tokens];
            for (int i = 0; i < ids.Length; i++) ids[i] = 1 + rng.Next(vocabulary - 1);
            var text = new TextBatch(ids, batch, tokens, Enumerable.Repeat(tokens, batch).ToArray());
            var y = Enumerable.Range(0, batch).Select(i => (long)(i % 4)).ToArray();
            var arousal = y.Select(c => c < 2 ? 1L : 0L).ToArray();
            var valence = y.Select(c => c is 0 or 3 ? 1L : 0L).ToArray();
            m.Train();
            return () =>
            {
                opt.ZeroGrad();
                var o = m.Forward(audio, text);
                var loss = F.CrossEntropy(o.Logits, y, labelSmoothing: 0.1f);
                if (o.Arousal is not null) loss = loss + (F.CrossEntropy(o.Arousal, arousal) + F.CrossEntropy(o.Valence!, valence)) * 0.5f;
                loss.Backward();
                opt.Step();
            };
        });
    }

    /// <summary><c>--profile</c>: per-op forward/backward milliseconds per step (<see cref="OpProfiler"/>), 10 steps, and each
    /// convolution pass per layer in GFLOP/s and % of the FMA peak measured just before (<see cref="FmaPeak"/>).</summary>
    private static void Profile(Action step)
    {
        var peak = FmaPeak.Measure();
        const int steps = 10;
        long alloc0 = GC.GetTotalAllocatedBytes(), pause0 = (long)GC.GetTotalPauseDuration().TotalMicroseconds;
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        using var prof = OpProfiler.Start();
        var sw = Stopwatch.StartNew();
        var cpu0 = Environment.CpuUsage.TotalTime;
        for (int i = 0; i < steps; i++) { prof.Mark(); step(); }
        double stepMs = sw.Elapsed.TotalMilliseconds / steps, stepCpuMs = (Environment.CpuUsage.TotalTime - cpu0).TotalMilliseconds / steps;
        Console.WriteLine($"    allocated {(GC.GetTotalAllocatedBytes() - alloc0) / steps / 1e6:F1} MB/step, GC pause {((long)GC.GetTotalPauseDuration().TotalMicroseconds - pause0) / 1e3 / steps:F2} ms/step, " +
            $"{(GC.CollectionCount(0) - gen0) / (double)steps:F1} GCs/step ({(GC.CollectionCount(2) - gen2) / (double)steps:F1} gen2)");
        foreach (var r in prof.Rows())
            Console.WriteLine($"    {r.Op,-24} {r.Calls / steps,4}×/step  fwd {r.ForwardMs / steps,8:F2} ms  bwd {r.BackwardMs / steps,8:F2} ms   (CPU: fwd {r.ForwardCpuMs / steps,8:F2} ms  bwd {r.BackwardCpuMs / steps,8:F2} ms)");
        var kernels = prof.KernelRows();
        if (kernels.Count == 0) return;
        Console.WriteLine($"    convolution passes per layer (GFLOP = 2·N·O·C·kh·kw·OH·OW; FMA peak measured now: {peak.Gflops:F1} GFLOP/s with {peak.Threads} threads, " +
            $"{peak.GflopsPerCpuSecond:F1} GFLOP per CPU-second; the CPU columns divide by process CPU time, nearly load-independent):");
        double totalMs = 0, totalCpu = 0, totalGflop = 0;
        foreach (var k in kernels)
        {
            Console.WriteLine($"    {k.Kernel,-26} {k.Pass,-12} {k.Ms / steps,8:F2} ms  {k.GflopPerSecond,7:F1} GFLOP/s  {100 * k.GflopPerSecond / peak.Gflops,5:F1} % of peak" +
                $"   | {k.CpuMs / steps,8:F2} CPU-ms  {k.GflopPerCpuSecond,6:F1} GFLOP/CPU-s  {100 * k.GflopPerCpuSecond / peak.GflopsPerCpuSecond,5:F1} %");
            totalMs += k.Ms; totalCpu += k.CpuMs; totalGflop += k.Gflop;
        }
        Console.WriteLine($"    {"all convolution passes",-39} {totalMs / steps,8:F2} ms  {totalGflop / totalMs * 1000,7:F1} GFLOP/s  {100 * totalGflop / totalMs * 1000 / peak.Gflops,5:F1} % of peak" +
            $"   | {totalCpu / steps,8:F2} CPU-ms  {totalGflop / totalCpu * 1000,6:F1} GFLOP/CPU-s  {100 * totalGflop / totalCpu * 1000 / peak.GflopsPerCpuSecond,5:F1} %");
        double stepRate = totalGflop / steps / stepMs * 1000;
        double stepCpuRate = totalGflop / steps / stepCpuMs * 1000;
        Console.WriteLine($"    {"whole step (conv FLOP ÷ step time)",-39} {stepMs,8:F2} ms  {stepRate,7:F1} GFLOP/s  {100 * stepRate / peak.Gflops,5:F1} % of peak" +
            $"   | {stepCpuMs,8:F2} CPU-ms  {stepCpuRate,6:F1} GFLOP/CPU-s  {100 * stepCpuRate / peak.GflopsPerCpuSecond,5:F1} %");
    }

    public int Run(string[] args)
    {
        bool json = args.Contains("--json"), quick = args.Contains("--quick"), profile = args.Contains("--profile");
        string? filter = null;
        for (int i = 0; i < args.Length - 1; i++) if (args[i] == "--filter") filter = args[i + 1];
        for (int i = 0; i < args.Length - 1; i++)
            if (args[i] == "--threads") HarmoniousFeedback.Nn.Kernels.Gemm.MaxThreads = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        int batches = quick ? 2 : 5;
        double batchSeconds = quick ? 0.5 : 1.5;
        var results = new List<Dictionary<string, object>>();
        if (!json) Console.WriteLine($"{"case",-22} {"value",10} unit   (best of {batches} batches of ≈{batchSeconds} s; {Environment.ProcessorCount} CPUs)");
        foreach (var c in Cases())
        {
            if (filter is not null && !c.Name.Contains(filter, StringComparison.Ordinal)) continue;
            var step = c.Build();
            // warm-up: at least 3 steps and ≈1 s, so tiered JIT has promoted the hot loops before timing
            var warm = Stopwatch.StartNew();
            for (int w = 0; w < 3 || warm.Elapsed.TotalSeconds < (quick ? 0.5 : 1.0); w++) step();
            double best = 0, bestCpu = double.MaxValue;
            var proc = Process.GetCurrentProcess();
            for (int b = 0; b < batches; b++)
            {
                int iters = 0;
                proc.Refresh();
                var cpu0 = proc.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                do { step(); iters++; } while (sw.Elapsed.TotalSeconds < batchSeconds);
                proc.Refresh();
                best = Math.Max(best, iters * c.Batch / sw.Elapsed.TotalSeconds);
                bestCpu = Math.Min(bestCpu, (proc.TotalProcessorTime - cpu0).TotalMilliseconds / iters);
            }
            results.Add(new() { ["case"] = c.Name, ["value"] = Math.Round(best, 2), ["unit"] = c.Unit });
            // CPU time per step (all threads) is a load-insensitive cross-check when the machine is shared
            if (!json) Console.WriteLine($"{c.Name,-22} {best.ToString("F1", CultureInfo.InvariantCulture),10} {c.Unit,-10} cpu {bestCpu.ToString("F1", CultureInfo.InvariantCulture)} ms/step (batch {c.Batch})");
            if (profile && !json) Profile(step);
        }
        if (json) Console.WriteLine(JsonSerializer.Serialize(results));
        return 0;
    }
}
