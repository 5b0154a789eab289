using System.CommandLine;
using System.Diagnostics;
using HarmoniousFeedback.Experiments;
using HarmoniousFeedback.Experiments.Slurm;
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
        var backend = new Option<string>("--backend") { Description = "local (this machine) or slurm (a job array on a Slurm cluster; docs/slurm.md)", DefaultValueFactory = _ => "local" };
        var partition = new Option<string?>("--partition") { Description = "slurm: sbatch --partition" };
        var account = new Option<string?>("--account") { Description = "slurm: sbatch --account" };
        var maxParallel = new Option<int?>("--max-parallel") { Description = "slurm: array tasks running at once" };
        var time = new Option<string?>("--time") { Description = "slurm: time limit per task (e.g. 01:00:00)" };
        var mem = new Option<string?>("--mem") { Description = "slurm: memory per task (e.g. 4G)" };
        var cpus = new Option<int>("--cpus-per-task") { Description = "slurm: CPUs per task (threads per unit)", DefaultValueFactory = _ => 2 };
        var setup = new Option<string[]>("--setup") { Description = "slurm: a shell line run before hfb in every job (repeatable; e.g. 'module load dotnet')" };
        var hfb = new Option<string?>("--hfb") { Description = "slurm: the command that runs hfb on the nodes (default: this hfb)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "slurm: print the job scripts instead of submitting" };
        var status = new Option<bool>("--status") { Description = "slurm: show the latest submission's progress (run folder, squeue, sacct)" };
        var prepareOnly = new Option<bool>("--prepare-only") { Description = "prepare data and features and open the run folder, then stop (the Slurm prepare job)" };
        var runFolderFile = new Option<string?>("--run-folder-file") { Description = "with --prepare-only: write the run folder's path to this file" };
        var runUnit = new Option<int?>("--run-unit") { Description = "run only unit N of the plan (0-based; the Slurm array task) and stop" };
        var summarize = new Option<bool>("--summarize") { Description = "only summarise completed units into metrics, tables and figures (the Slurm summary job)" };
        var cmd = new Command("reproduce", "Run an experiment (default: the paper ablation on the embedded synthetic corpus) and write tables, figures and metrics")
        {
            experiment, results, data, fresh, threads, parallelUnits, list,
            backend, partition, account, maxParallel, time, mem, cpus, setup, hfb, dryRun, status, prepareOnly, runFolderFile, runUnit, summarize,
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
            // --parallel-units defaults to --threads: a bad --threads is reported once, under its own name.
            if (p.GetValue(parallelUnits) is int givenUnits && givenUnits < 1) problems.Add($"--parallel-units = {givenUnits} must be >= 1");
            var backendName = p.GetValue(backend)!.Trim().ToLowerInvariant();
            if (backendName is not ("local" or "slurm")) problems.Add($"--backend = '{backendName}' is not known (allowed: local, slurm)");
            int steps = (p.GetValue(prepareOnly) ? 1 : 0) + (p.GetValue(runUnit) is null ? 0 : 1) + (p.GetValue(summarize) ? 1 : 0) + (p.GetValue(status) ? 1 : 0);
            if (steps > 1) problems.Add("--prepare-only, --run-unit, --summarize and --status are separate steps; give at most one");
            if (p.GetValue(runUnit) is < 0) problems.Add($"--run-unit = {p.GetValue(runUnit)} must be >= 0");
            if (backendName != "slurm")
                foreach (var (name, given) in new (string, bool)[] { ("--partition", p.GetValue(partition) is not null), ("--account", p.GetValue(account) is not null), ("--max-parallel", p.GetValue(maxParallel) is not null),
                    ("--time", p.GetValue(time) is not null), ("--mem", p.GetValue(mem) is not null), ("--setup", (p.GetValue(setup) ?? []).Length > 0), ("--hfb", p.GetValue(hfb) is not null),
                    ("--dry-run", p.GetValue(dryRun)), ("--status", p.GetValue(status)) })
                    if (given) problems.Add($"{name} applies to --backend slurm only");
            if (problems.Count > 0) throw new OptionsValidationException("hfb reproduce", problems);

            var request = new Request(p.GetValue(experiment)!, p.GetValue(results)!, p.GetValue(data)!, p.GetValue(fresh), t, units);
            if (p.GetValue(prepareOnly)) return PrepareOnly(request, p.GetValue(runFolderFile));
            if (p.GetValue(runUnit) is int index) return RunUnit(request, index);
            if (p.GetValue(summarize)) return SummarizeOnly(request);
            if (backendName == "slurm")
            {
                var slurm = new SlurmOptions
                {
                    Partition = p.GetValue(partition), Account = p.GetValue(account), MaxParallel = p.GetValue(maxParallel), Time = p.GetValue(time),
                    Mem = p.GetValue(mem), CpusPerTask = p.GetValue(cpus), Setup = p.GetValue(setup) ?? [], HfbCommand = p.GetValue(hfb) ?? ThisHfb(),
                };
                return p.GetValue(status) ? SlurmStatus(request) : SubmitToSlurm(request, slurm, p.GetValue(dryRun));
            }
            return Run(request.Experiment, request.Results, request.Data, request.Fresh, t, units);
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

    /// <summary>What one <c>hfb reproduce</c> invocation names: the spec, the roots and the thread budget.</summary>
    private sealed record Request(string Experiment, string Results, string Data, bool Fresh, int Threads, int ParallelUnits)
    {
        public (ExperimentSpec Spec, string SpecPath, ExperimentRunner Runner) Open(IExperimentObserver? observer = null)
        {
            var specPath = ResolveSpec(Experiment);
            var spec = ExperimentSpec.Load(specPath);
            var options = new RunnerOptions { ResultsRoot = Results, DataRoot = Data, Fresh = Fresh, Threads = Threads, ParallelUnits = ParallelUnits, BaseDirectory = Path.GetDirectoryName(specPath)! };
            return (spec, specPath, new ExperimentRunner(spec, options, observer));
        }
    }

    /// <summary>The command line that runs this very hfb (the apphost, or dotnet + hfb.dll).</summary>
    private static string ThisHfb()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(ReproduceCommand).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? $"{SlurmScripts.Quote(host)} {SlurmScripts.Quote(dll)}"
            : SlurmScripts.Quote(host);
    }

    private static int PrepareOnly(Request r, string? runFolderFile)
    {
        var (spec, _, runner) = r.Open(new LineObserver());
        var prepared = runner.Prepare();
        if (runFolderFile is not null) IO.AtomicFile.WriteAllText(runFolderFile, Path.GetFullPath(prepared.Run.Path) + "\n");
        Console.WriteLine($"{spec.Name}: prepared {prepared.Clips.Count} clips and {prepared.Units.Count} units; run folder {prepared.Run.Path}");
        return 0;
    }

    private static int RunUnit(Request r, int index)
    {
        var (spec, _, runner) = r.Open(new LineObserver());
        var prepared = runner.Prepare();
        var sw = Stopwatch.StartNew();
        var result = runner.ExecuteUnit(prepared, index, out bool reused);
        var unit = prepared.Units[index].Unit;
        Console.WriteLine($"{spec.Name}: unit {index} ({unit.Key}) {(reused ? "already complete, reused" : $"trained and tested in {sw.Elapsed.TotalSeconds:F1} s")}: accuracy {result.Accuracy:P1}");
        return 0;
    }

    private static int SummarizeOnly(Request r)
    {
        var (spec, _, runner) = r.Open(new LineObserver());
        var result = runner.Summarize(runner.Prepare());
        PrintTables(spec, result);
        Console.WriteLine($"run folder: {result.RunFolder}");
        return 0;
    }

    private static int SubmitToSlurm(Request r, SlurmOptions slurm, bool dryRun)
    {
        var specPath = ResolveSpec(r.Experiment);
        var spec = ExperimentSpec.Load(specPath);
        var (submission, scripts) = SlurmBackend.Submit(spec, specPath, r.Data, r.Results, slurm, r.Fresh, dryRun);
        if (dryRun)
        {
            Console.WriteLine($"# {submission.Units} units; submitted as: sbatch prepare.sbatch; sbatch --dependency=afterok:<prepare> --array=0-{submission.Units - 1}{(slurm.MaxParallel is int m ? $"%{m}" : "")} units.sbatch; sbatch --dependency=afterok:<units> summarize.sbatch");
            Console.WriteLine("# ---- prepare.sbatch\n" + scripts.Prepare + "# ---- units.sbatch\n" + scripts.Units + "# ---- summarize.sbatch\n" + scripts.Summarize);
            return 0;
        }
        Console.WriteLine($"{spec.Name}: submitted {submission.Units} units to Slurm: prepare job {submission.PrepareJob}, array {submission.UnitsJob}, summary {submission.SummarizeJob}; scripts and logs in {submission.Folder}");
        Console.WriteLine($"progress: hfb reproduce {r.Experiment} --backend slurm --status --results {r.Results}; to redo failed tasks, run this command again (completed units are reused)");
        return 0;
    }

    private static int SlurmStatus(Request r)
    {
        var spec = ExperimentSpec.Load(ResolveSpec(r.Experiment));
        Console.WriteLine(SlurmBackend.Status(spec, r.Results));
        return 0;
    }

    private static void PrintTables(ExperimentSpec spec, RunResult result)
    {
        foreach (var scheme in result.Table1.Keys)
        {
            Console.WriteLine();
            Console.WriteLine($"## {spec.Name} — {scheme}");
            Console.WriteLine();
            Console.WriteLine(result.Table1[scheme].ToMarkdown());
            Console.WriteLine(result.Table2[scheme].ToMarkdown());
            if (result.Significance.TryGetValue(scheme, out var significance)) Console.WriteLine(significance.ToMarkdown()); // absent for a one-model run
            if (result.Feedback.TryGetValue(scheme, out var feedback)) Console.WriteLine(feedback.ToMarkdown());
        }
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

        PrintTables(spec, result);
        Console.WriteLine($"run folder: {result.RunFolder} ({result.UnitsComputed} units trained, {result.UnitsReused} reused, {sw.Elapsed.TotalSeconds:F1} s)");
        return 0;
    }

    private static int UnitsPerModel(ExperimentSpec spec, int total) => Math.Max(1, total / Math.Max(1, spec.Models.Count));

    /// <summary>Plain progress lines (CI logs, redirected stderr): stages, dataset/feature counts every 2 s, every unit.</summary>
    private sealed class LineObserver : IExperimentObserver
    {
        private readonly Stopwatch _sw = Stopwatch.StartNew();
        private long _last;

        public void Stage(string message) => Console.Error.WriteLine($"[{ConsoleProgress.Elapsed(_sw.Elapsed)}] {message}");

        public void Progress(string task, int done, int total)
        {
            long now = _sw.ElapsedMilliseconds;
            if (done != total && now - Interlocked.Read(ref _last) < 2000) return;
            Interlocked.Exchange(ref _last, now);
            Console.Error.WriteLine($"[{ConsoleProgress.Elapsed(_sw.Elapsed)}] {task}: {done}/{total}");
        }

        public void UnitFinished(string scheme, string model, int repeat, int fold, int done, int total, bool reused, double accuracy)
        {
            double rate = done / Math.Max(1e-9, _sw.Elapsed.TotalSeconds);
            Console.Error.WriteLine($"[{ConsoleProgress.Elapsed(_sw.Elapsed)}] {scheme} {model,-22} repeat {repeat} fold {fold}: accuracy {accuracy:P1}{(reused ? " (reused)" : "")}  [{done}/{total}]");
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
