using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Kernels;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// <c>hfb-bench recurrent [--batch 32] [--hidden 128] [--input 50] [--seq 12] [--threads 1] [--seconds 2] [--cases a,b] [--json]</c>:
/// the LSTM work of the EMOPIA ablation's units (batch 32 of ≈ 12 segments of 50 LLDs, hidden 128), in CPU
/// milliseconds per call (process user + system time, which a shared machine disturbs less than wall time).
/// Cases: <c>step_sgemm</c> — one time step's recurrent product <c>[B × H]·W_hhᵀ</c> with <see cref="Gemm.Sgemm"/>
/// (W_hh re-packed every call, as the recurrent kernels did before); <c>step_packed</c> — the same product against
/// W_hh packed once (<see cref="Gemm.SgemmPackedB"/>, bit-identical); <c>fwd_input_gemm</c>, <c>bwd_step_packed</c>,
/// <c>bwd_dwih</c>, <c>bwd_dwhh</c>, <c>bwd_dx</c> — the layer's other products alone (the input projection of all
/// steps, one backward recurrent step, the two weight gradients and the input gradient); <c>layer_fwd</c> — one
/// <see cref="F.LstmLayer"/> forward without grad; <c>layer_fwd_bwd</c> — one
/// <see cref="F.LstmLayer"/> forward and backward over the whole sequence with variable lengths.
/// </summary>
public sealed class RecurrentBench : IBenchSuite
{
    public string Name => "recurrent";
    public string Description => "LSTM recurrent step (per-step packing vs packed once) and layer fwd+bwd at the EMOPIA unit shapes";

    private static double CpuMs()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalMilliseconds;
    }

    public int Run(string[] args)
    {
        string? Arg(string name)
        {
            for (int i = 0; i < args.Length - 1; i++) if (args[i] == name) return args[i + 1];
            return null;
        }
        int Int(string name, int dflt) => int.Parse(Arg(name) ?? dflt.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        bool json = args.Contains("--json");
        int B = Int("--batch", 32), H = Int("--hidden", 128), I = Int("--input", 50), T = Int("--seq", 12), threads = Int("--threads", 1);
        double seconds = double.Parse(Arg("--seconds") ?? "2", CultureInfo.InvariantCulture);
        Gemm.MaxThreads = threads;
        var rng = new NnRng(7UL);
        float[] Rand(int n)
        {
            var a = new float[n];
            for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() - 0.5);
            return a;
        }
        int g4 = 4 * H;
        var h = Rand(B * H);
        var whh = Rand(g4 * H);
        var gates = new float[B * g4];
        var packed = new float[Gemm.PackedBLength(H, g4)];
        Gemm.PackB(true, H, g4, whh, H, packed);

        var x = Tensor.FromArray(Rand(T * B * I), T, B, I);
        var wih = Tensor.FromArray(Rand(g4 * I), g4, I).RequiresGrad_();
        var whhT = Tensor.FromArray(whh, g4, H).RequiresGrad_();
        var bih = Tensor.FromArray(Rand(g4), g4).RequiresGrad_();
        var bhh = Tensor.FromArray(Rand(g4), g4).RequiresGrad_();
        var lengths = Enumerable.Range(0, B).Select(b => T - b % 4).ToArray();
        // The other products of one layer call, alone: forward input projection, one backward recurrent step, and the
        // three backward products over all steps (weight gradients and the input gradient).
        var xs = x.ToArray();
        var gatesAll = new float[T * B * g4];
        var dGatesAll = Rand(T * B * g4);
        var hPrevAll = Rand(T * B * H);
        var wihA = wih.ToArray();
        var dhRec = new float[B * H];
        var dW = new float[g4 * Math.Max(I, H)];
        var dXs = new float[T * B * I];
        var packedHh = new float[Gemm.PackedBLength(g4, H)];
        Gemm.PackB(false, g4, H, whh, H, packedHh);

        var cases = new (string Name, double Flops, Action Body)[]
        {
            ("step_sgemm", 2.0 * B * g4 * H, () => Gemm.Sgemm(false, true, B, g4, H, 1f, h, H, whh, H, 1f, gates, g4)),
            ("step_packed", 2.0 * B * g4 * H, () => Gemm.SgemmPackedB(false, true, B, g4, H, 1f, h, H, whh, H, packed, 1f, gates, g4)),
            ("fwd_input_gemm", 2.0 * T * B * g4 * I, () => Gemm.Sgemm(false, true, T * B, g4, I, 1f, xs, I, wihA, I, 0f, gatesAll, g4)),
            ("bwd_step_packed", 2.0 * B * g4 * H, () => Gemm.SgemmPackedB(false, false, B, H, g4, 1f, dGatesAll, g4, whh, H, packedHh, 0f, dhRec, H)),
            ("bwd_dwih", 2.0 * T * B * g4 * I, () => Gemm.Sgemm(true, false, g4, I, T * B, 1f, dGatesAll, g4, xs, I, 0f, dW, I)),
            ("bwd_dwhh", 2.0 * T * B * g4 * H, () => Gemm.Sgemm(true, false, g4, H, T * B, 1f, dGatesAll, g4, hPrevAll, H, 0f, dW, H)),
            ("bwd_dx", 2.0 * T * B * g4 * I, () => Gemm.Sgemm(false, false, T * B, I, g4, 1f, dGatesAll, g4, wihA, I, 0f, dXs, I)),
            ("layer_fwd", 2.0 * T * B * g4 * (I + H), () =>
            {
                using var _ = Tensor.NoGrad();
                F.LstmLayer(x, null, null, wih, whhT, bih, bhh, false, lengths);
            }),
            ("layer_fwd_bwd", 3 * 2.0 * T * B * g4 * (I + H), () =>
            {
                var y = F.LstmLayer(x, null, null, wih, whhT, bih, bhh, false, lengths);
                y.Sum().Backward();
            }),
        };
        var only = Arg("--cases")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var rows = new List<Dictionary<string, object>>();
        foreach (var (name, flops, body) in cases)
        {
            if (only is not null && !only.Contains(name, StringComparer.Ordinal)) continue;
            for (int i = 0; i < 3; i++) body();
            int calls = 0;
            double c0 = CpuMs();
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalSeconds < seconds || calls < 10)
            {
                body();
                calls++;
            }
            double cpu = (CpuMs() - c0) / calls, wall = sw.Elapsed.TotalMilliseconds / calls;
            rows.Add(new() { ["case"] = name, ["threads"] = threads, ["cpu_ms"] = Math.Round(cpu, 4), ["wall_ms"] = Math.Round(wall, 4), ["gflops_cpu"] = Math.Round(flops / cpu / 1e6, 2) });
            if (!json)
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-14} B={B} H={H} I={I} T={T} threads={threads}: cpu {cpu,9:F4} ms/call  wall {wall,9:F4} ms/call  {flops / cpu / 1e6,6:F1} GFLOP/s (cpu)"));
        }
        if (json) Console.WriteLine(JsonSerializer.Serialize(rows));
        return 0;
    }
}
