using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Experiments;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Kernels;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// <c>hfb-bench units --spec FILE --data DIR [--models a,b] [--units N] [--threads T] [--profile] [--json]</c>: where an
/// experiment's time goes, in CPU seconds (process user + system time), which stays meaningful on a shared machine
/// where wall time does not. Prepares the run like <c>hfb reproduce</c> (render and feature caches under
/// <c>--data</c>; a cold cache times the render and the feature extraction), then trains the first <c>N</c> units
/// (default 2) of each model of each scheme one after the other, on the calling thread with <c>Gemm.MaxThreads =
/// T</c> (default 1), and reports per model the CPU seconds per unit and the projection units × CPU/unit. Nothing is
/// written to a run folder except under a temporary results root. <c>--profile</c> prints the NN ops of the LSTM
/// units (<see cref="OpProfiler"/>, wall milliseconds on the unit's thread).
/// </summary>
public sealed class UnitsBench : IBenchSuite
{
    public string Name => "units";
    public string Description => "CPU seconds per stage and per model of an experiment (hfb reproduce's work, one unit at a time)";

    private static double CpuSeconds()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }

    public int Run(string[] args)
    {
        string? Arg(string name)
        {
            for (int i = 0; i < args.Length - 1; i++) if (args[i] == name) return args[i + 1];
            return null;
        }
        bool json = args.Contains("--json"), profile = args.Contains("--profile");
        var specPath = Arg("--spec") ?? "experiments/paper-table1-emopia.json";
        var data = Arg("--data") ?? "data";
        int perModel = int.Parse(Arg("--units") ?? "2", CultureInfo.InvariantCulture);
        int threads = int.Parse(Arg("--threads") ?? "1", CultureInfo.InvariantCulture);
        var only = Arg("--models")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        MLNet.MLNetModels.Register();
        Gemm.MaxThreads = threads;

        var results = Path.Combine(Path.GetTempPath(), $"hfb-bench-units-{Environment.ProcessId}");
        var spec = ExperimentSpec.Load(specPath);
        var runner = new ExperimentRunner(spec, new RunnerOptions { DataRoot = data, ResultsRoot = results, Threads = threads, Fresh = true });
        var rows = new List<Dictionary<string, object>>();
        void Report(string what, double cpu, double wall, int n = 1, int total = 1)
        {
            rows.Add(new()
            {
                ["case"] = what, ["cpu_s"] = Math.Round(cpu, 3), ["wall_s"] = Math.Round(wall, 3), ["units_timed"] = n, ["units_total"] = total,
                ["cpu_s_projected"] = Math.Round(cpu / n * total, 1)
            });
            if (!json)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{what,-44} cpu {cpu / n,8:F3} s/unit  wall {wall / n,8:F3} s/unit  × {total,3} units = {cpu / n * total,7:F1} cpu s"));
        }

        double c0 = CpuSeconds();
        var sw = Stopwatch.StartNew();
        var prepared = runner.Prepare();
        Report("prepare (render + features, this process)", CpuSeconds() - c0, sw.Elapsed.TotalSeconds);

        var executor = new UnitExecutor(runner.Plan, prepared.Table);
        foreach (var model in runner.Plan.Models)
        {
            if (only is not null && !only.Contains(model.Name, StringComparer.Ordinal)) continue;
            var units = prepared.Units.Where(u => u.Unit.Model == model).Select(u => u.Unit).ToList();
            var timed = units.GroupBy(u => u.Scheme).SelectMany(g => g.Take(perModel)).ToList();
            using var prof = profile && model.Spec.Type == "lstm" ? OpProfiler.Start() : null;
            double cpu = 0, wall = 0;
            foreach (var unit in timed)
            {
                double u0 = CpuSeconds();
                var w = Stopwatch.StartNew();
                var r = executor.Execute(unit);
                cpu += CpuSeconds() - u0;
                wall += w.Elapsed.TotalSeconds;
                if (!json) Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {unit.Key}: {CpuSeconds() - u0:F3} cpu s, {r.Curve.Count} epochs, accuracy {r.Accuracy:P1}"));
            }
            Report(model.Name, cpu, wall, timed.Count, units.Count);
            if (prof is not null && !json)
                foreach (var row in prof.Rows().Take(16))
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"    {row.Op,-24} {row.Calls / timed.Count,7}×/unit  fwd {row.ForwardMs / timed.Count / 1000,7:F3} s  bwd {row.BackwardMs / timed.Count / 1000,7:F3} s"));
        }
        try { Directory.Delete(results, recursive: true); } catch (IOException) { }
        if (json) Console.WriteLine(JsonSerializer.Serialize(rows));
        return 0;
    }
}
