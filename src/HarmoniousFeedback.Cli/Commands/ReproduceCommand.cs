using System.CommandLine;
using System.Diagnostics;
using HarmoniousFeedback.Experiments;
using Spectre.Console;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb reproduce [experiment]</c>: runs an experiment file (a name in <c>experiments/</c> or a path); without an
/// argument the piano-emotion paper's ablation on the embedded synthetic corpus. Prints Table 1, Table 2 and the
/// significance tests, and writes the run folder under <c>results/</c>.
/// </summary>
public static class ReproduceCommand
{
    public const string DefaultExperiment = "paper-table1-synthetic";

    public static Command Create()
    {
        var experiment = new Argument<string>("experiment") { Description = "experiment name (experiments/<name>.json) or path to a spec file", DefaultValueFactory = _ => DefaultExperiment };
        var results = new Option<string>("--results") { Description = "results root folder", DefaultValueFactory = _ => "results" };
        var data = new Option<string>("--data") { Description = "data root folder (prepared datasets and caches)", DefaultValueFactory = _ => "data" };
        var fresh = new Option<bool>("--fresh") { Description = "recompute every unit instead of reusing completed ones" };
        var threads = new Option<int>("--threads") { Description = "worker threads for preparation, features and kernels", DefaultValueFactory = _ => Environment.ProcessorCount };
        var parallelUnits = new Option<int?>("--parallel-units") { Description = "units trained at the same time (default: --threads; results do not depend on it)" };
        var list = new Option<bool>("--list") { Description = "list the experiments in experiments/ and exit" };
        var cmd = new Command("reproduce", "Run an experiment (default: the paper ablation on the embedded synthetic corpus) and write tables, figures and metrics")
        {
            experiment, results, data, fresh, threads, parallelUnits, list,
        };
        cmd.SetAction(p =>
        {
            if (p.GetValue(list))
            {
                foreach (var f in Directory.EnumerateFiles(ExperimentsDirectory(), "*.json").Order(StringComparer.Ordinal))
                    Console.WriteLine($"{Path.GetFileNameWithoutExtension(f),-36} {ExperimentSpec.Load(f).Description}");
                return 0;
            }
            int t = p.GetValue(threads);
            int units = p.GetValue(parallelUnits) ?? t;
            var problems = new List<string>();
            if (t < 1) problems.Add($"--threads = {t} must be >= 1");
            if (units < 1) problems.Add($"--parallel-units = {units} must be >= 1");
            if (problems.Count > 0) throw new OptionsValidationException("hfb reproduce", problems);
            return Run(p.GetValue(experiment)!, p.GetValue(results)!, p.GetValue(data)!, p.GetValue(fresh), t, units);
        });
        return cmd;
    }

    /// <summary>experiments/ of the repository: found from the working directory upwards.</summary>
    public static string ExperimentsDirectory()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, "experiments"))) return Path.Combine(d.FullName, "experiments");
        throw new ExperimentSpecException($"no experiments/ folder in {Directory.GetCurrentDirectory()} or above; pass the path of a spec file");
    }

    /// <summary>A spec file path, or an experiment name in experiments/; anything else is an error saying which it looked like.</summary>
    public static string ResolveSpec(string nameOrPath)
    {
        if (nameOrPath.StartsWith('-'))
            throw new ExperimentSpecException($"unknown option '{nameOrPath}' (see hfb reproduce --help)");
        if (File.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        if (Directory.Exists(nameOrPath))
            throw new ExperimentSpecException($"'{nameOrPath}' is a folder; pass an experiment spec file (a .json) or an experiment name");
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || nameOrPath.Contains('/') || nameOrPath.Contains(Path.DirectorySeparatorChar))
            throw new ExperimentSpecException($"spec file '{nameOrPath}' does not exist (resolved to {Path.GetFullPath(nameOrPath)})");
        var dir = ExperimentsDirectory();
        var p = Path.Combine(dir, nameOrPath.EndsWith(".json", StringComparison.Ordinal) ? nameOrPath : nameOrPath + ".json");
        if (File.Exists(p)) return p;
        var known = Directory.EnumerateFiles(dir, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        throw new ExperimentSpecException($"unknown experiment '{nameOrPath}' (known: {string.Join(", ", known)}; or pass a path to a spec file)");
    }

    internal static int Run(string experiment, string results, string data, bool fresh, int threads, int parallelUnits)
    {
        var specPath = ResolveSpec(experiment);
        var spec = ExperimentSpec.Load(specPath);
        // Relative paths in a spec (dataset sources) resolve from the spec file's own folder (ExperimentSpec.Directory).
        var baseDir = Path.GetDirectoryName(specPath)!;
        var options = new RunnerOptions { ResultsRoot = results, DataRoot = data, Fresh = fresh, Threads = threads, ParallelUnits = parallelUnits, BaseDirectory = baseDir };
        Console.Error.WriteLine($"hfb reproduce {spec.Name}: {spec.Description}");
        var sw = Stopwatch.StartNew();
        RunResult result;
        if (ConsoleProgress.Interactive)
        {
            result = CliErrors.StdErr.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx => new ExperimentRunner(spec, options, new BarObserver(ctx, spec)).Run());
        }
        else result = new ExperimentRunner(spec, options, new LineObserver()).Run();

        foreach (var scheme in result.Table1.Keys)
        {
            Console.WriteLine();
            Console.WriteLine($"## {spec.Name} — {scheme}");
            Console.WriteLine();
            Console.WriteLine(result.Table1[scheme].ToMarkdown());
            Console.WriteLine(result.Table2[scheme].ToMarkdown());
            Console.WriteLine(result.Significance[scheme].ToMarkdown());
        }
        Console.WriteLine($"run folder: {result.RunFolder} ({result.UnitsComputed} units trained, {result.UnitsReused} reused, {sw.Elapsed.TotalSeconds:F1} s)");
        return 0;
    }

    private static int UnitsPerModel(ExperimentSpec spec, int total) => Math.Max(1, total / Math.Max(1, spec.Models.Count));

    /// <summary>Plain progress lines (CI logs, redirected stderr): stages, dataset/feature counts every 2 s, every unit.</summary>
    private sealed class LineObserver : IExperimentObserver
    {
        private readonly Stopwatch _sw = Stopwatch.StartNew();
        private long _last;

        public void Stage(string message) => Console.Error.WriteLine($"[{_sw.Elapsed:mm\\:ss}] {message}");

        public void Progress(string task, int done, int total)
        {
            long now = _sw.ElapsedMilliseconds;
            if (done != total && now - Interlocked.Read(ref _last) < 2000) return;
            Interlocked.Exchange(ref _last, now);
            Console.Error.WriteLine($"[{_sw.Elapsed:mm\\:ss}] {task}: {done}/{total}");
        }

        public void UnitFinished(string scheme, string model, int repeat, int fold, int done, int total, bool reused, double accuracy)
        {
            double rate = done / Math.Max(1e-9, _sw.Elapsed.TotalSeconds);
            Console.Error.WriteLine($"[{_sw.Elapsed:mm\\:ss}] {scheme} {model,-22} repeat {repeat} fold {fold}: accuracy {accuracy:P1}{(reused ? " (reused)" : "")}  [{done}/{total}]");
        }
    }

    /// <summary>Spectre progress bars: one per stage and one per model with ETA.</summary>
    private sealed class BarObserver(ProgressContext ctx, ExperimentSpec spec) : IExperimentObserver
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new();
        private readonly object _gate = new();

        private ProgressTask Task(string name, int total)
        {
            lock (_gate)
            {
                if (!_tasks.TryGetValue(name, out var t)) _tasks[name] = t = ctx.AddTask(Markup.Escape(name), maxValue: Math.Max(1, total));
                return t;
            }
        }

        public void Stage(string message) => CliErrors.StdErr.MarkupLine("[grey]" + Markup.Escape(message) + "[/]");

        public void Progress(string task, int done, int total)
        {
            var t = Task(task, total);
            lock (_gate) t.Value = Math.Max(t.Value, done);
        }

        public void UnitFinished(string scheme, string model, int repeat, int fold, int done, int total, bool reused, double accuracy)
        {
            var t = Task($"{scheme} {model}", UnitsPerModel(spec, total));
            lock (_gate) t.Increment(1);
        }
    }
}
