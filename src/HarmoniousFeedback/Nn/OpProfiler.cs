using System.Diagnostics;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// Per-operation wall time of forward and backward, in the spirit of <c>torch.autograd.profiler.profile</c>:
/// <code>
/// using var prof = OpProfiler.Start();
/// for (...) { opt.ZeroGrad(); loss(model.Forward(x)).Backward(); opt.Step(); }
/// foreach (var row in prof.Rows()) Console.WriteLine(row);
/// </code>
/// Forward time of an op is the time since the previous recorded result on this thread (so it includes any glue
/// code between the two ops, e.g. optimizer steps are charged to the first op of the next step); backward time is
/// the op's backward function alone. Only ops that record a backward (some input requires grad, outside
/// <see cref="Tensor.NoGrad"/>) are seen. One profiler per thread; costs two timestamp reads per op while active and
/// nothing when no profiler is started. <see cref="KernelRows"/> breaks some ops down further: each convolution pass
/// (forward, input gradient, weight gradient) per layer shape, with its FLOP count, so GFLOP/s per layer can be read off.
/// </summary>
public sealed class OpProfiler : IDisposable
{
    [ThreadStatic] private static OpProfiler? t_current;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _last, _lastCpu;

    private sealed class Entry { public long Calls, ForwardTicks, BackwardTicks, BackwardCalls, ForwardCpu, BackwardCpu; }
    private sealed class KernelEntry { public long Calls, Ticks, Cpu; public double Flop; public int Order; }
    private readonly Dictionary<(string, string), KernelEntry> _kernels = new();

    /// <summary>One op: calls, total forward and backward milliseconds (wall clock), and the process CPU time spent
    /// in them (all threads; on a shared machine this tracks the op's own cost better than wall time).</summary>
    public sealed record Row(string Op, long Calls, double ForwardMs, double BackwardMs)
    {
        /// <summary>Process CPU milliseconds (all threads) in the forward.</summary>
        public double ForwardCpuMs { get; init; }
        /// <summary>Process CPU milliseconds (all threads) in the backward.</summary>
        public double BackwardCpuMs { get; init; }

        public override string ToString() => $"{Op,-24} {Calls,7} calls  fwd {ForwardMs,9:F1} ms  bwd {BackwardMs,9:F1} ms";
    }

    private OpProfiler() { _last = Stopwatch.GetTimestamp(); _lastCpu = CpuNow(); }

    /// <summary>Process CPU time so far, in <see cref="TimeSpan"/> ticks (100 ns).</summary>
    internal static long CpuNow() => Environment.CpuUsage.TotalTime.Ticks;

    /// <summary>Starts profiling on the calling thread (replacing any profiler already active there).</summary>
    public static OpProfiler Start() => t_current = new OpProfiler();

    internal static OpProfiler? Current => t_current;

    /// <summary>Restarts the forward clock (call before the first op of a timed region).</summary>
    public void Mark() { _last = Stopwatch.GetTimestamp(); _lastCpu = CpuNow(); }

    internal void RecordForward(string op)
    {
        long now = Stopwatch.GetTimestamp(), cpu = CpuNow();
        var e = Get(op);
        e.Calls++;
        e.ForwardTicks += now - _last;
        e.ForwardCpu += cpu - _lastCpu;
        _last = now;
        _lastCpu = cpu;
    }

    internal void RecordBackward(string op, long ticks, long cpuTicks)
    {
        var e = Get(op);
        e.BackwardCalls++;
        e.BackwardTicks += ticks;
        e.BackwardCpu += cpuTicks;
        _last = Stopwatch.GetTimestamp();
        _lastCpu = CpuNow();
    }

    /// <summary>One compute kernel call inside an op (e.g. one convolution pass): <paramref name="flop"/> floating-point
    /// operations in <paramref name="ticks"/> <see cref="Stopwatch"/> ticks and <paramref name="cpuTicks"/> of process CPU time.</summary>
    internal void RecordKernel(string kernel, string pass, double flop, long ticks, long cpuTicks)
    {
        if (!_kernels.TryGetValue((kernel, pass), out var e)) _kernels[(kernel, pass)] = e = new KernelEntry { Order = _kernels.Count };
        e.Calls++;
        e.Ticks += ticks;
        e.Cpu += cpuTicks;
        e.Flop += flop;
    }

    /// <summary>One kernel and pass: calls, total milliseconds and total GFLOP (GFLOP/s = <see cref="Gflop"/> ÷ <see cref="Ms"/> × 1000).</summary>
    public sealed record KernelRow(string Kernel, string Pass, long Calls, double Ms, double Gflop)
    {
        /// <summary>Process CPU milliseconds (all threads).</summary>
        public double CpuMs { get; init; }
        public double GflopPerSecond => Ms > 0 ? Gflop / Ms * 1000 : 0;
        /// <summary>GFLOP per CPU-second: the rate per busy core.</summary>
        public double GflopPerCpuSecond => CpuMs > 0 ? Gflop / CpuMs * 1000 : 0;
    }

    /// <summary>The compute kernels timed inside ops (convolution passes, per layer shape), in the order first seen.</summary>
    public IReadOnlyList<KernelRow> KernelRows()
    {
        double ms = 1000.0 / Stopwatch.Frequency;
        return _kernels.OrderBy(kv => kv.Value.Order)
            .Select(kv => new KernelRow(kv.Key.Item1, kv.Key.Item2, kv.Value.Calls, kv.Value.Ticks * ms, kv.Value.Flop / 1e9) { CpuMs = kv.Value.Cpu / 1e4 }).ToList();
    }

    private Entry Get(string op)
    {
        if (!_entries.TryGetValue(op, out var e)) _entries[op] = e = new Entry();
        return e;
    }

    /// <summary>All ops seen, most expensive (forward + backward) first.</summary>
    public IReadOnlyList<Row> Rows()
    {
        double ms = 1000.0 / Stopwatch.Frequency;
        return _entries.Select(kv => new Row(kv.Key, kv.Value.Calls, kv.Value.ForwardTicks * ms, kv.Value.BackwardTicks * ms)
        { ForwardCpuMs = kv.Value.ForwardCpu / 1e4, BackwardCpuMs = kv.Value.BackwardCpu / 1e4 })
            .OrderByDescending(r => r.ForwardMs + r.BackwardMs).ToList();
    }

    /// <summary>Stops profiling on this thread (the collected rows stay readable).</summary>
    public void Dispose() { if (ReferenceEquals(t_current, this)) t_current = null; }
}
