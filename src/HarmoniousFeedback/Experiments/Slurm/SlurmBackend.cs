using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace HarmoniousFeedback.Experiments.Slurm;

/// <summary>
/// Runs an experiment's units on a Slurm cluster as a job array: a <c>prepare</c> job, an array of one task per unit
/// that depends on it (<c>--dependency=afterok</c>), and a <c>summarize</c> job that depends on the array. Units are
/// independent and their results are content-addressed files in the run folder, so a failed or pre-empted task is
/// redone by submitting the same command again: completed units are reused, the rest computed, and the summary —
/// metrics.json byte-identical to the local backend's — written when all exist. Status comes from the run folder and
/// <c>squeue</c>/<c>sacct</c>.
/// </summary>
public static class SlurmBackend
{
    /// <summary>The folder that holds an experiment's submissions: <c>&lt;results&gt;/&lt;experiment&gt;/slurm/</c>.</summary>
    public static string SubmissionsFolder(string resultsRoot, ExperimentSpec spec) => Path.Combine(Path.GetFullPath(resultsRoot), spec.Name, "slurm");

    /// <summary>
    /// Writes the scripts and (unless <paramref name="dryRun"/>) submits them. The plan is validated first, so a bad
    /// spec fails here, not on the cluster.
    /// </summary>
    public static (SlurmSubmission Submission, SlurmScripts Scripts) Submit(ExperimentSpec spec, string specPath, string dataRoot, string resultsRoot,
        SlurmOptions options, bool fresh = false, bool dryRun = false)
    {
        options.Validate();
        var plan = ExperimentPlan.Create(spec);
        int units = plan.UnitCount;
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var folder = Path.Combine(SubmissionsFolder(resultsRoot, spec), stamp);
        var scripts = SlurmScripts.Create(spec, specPath, dataRoot, resultsRoot, folder, options, fresh);
        var submission = new SlurmSubmission
        {
            Experiment = spec.Name, Spec = Path.GetFullPath(specPath), Units = units, Folder = folder,
            SubmittedUtc = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        if (dryRun) return (submission, scripts);

        Directory.CreateDirectory(folder);
        string Write(string name, string text)
        {
            var p = Path.Combine(folder, name);
            File.WriteAllText(p, text);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(p, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            return p;
        }
        var prepare = Sbatch(options, [Write("prepare.sbatch", scripts.Prepare)]);
        var array = options.MaxParallel is int p ? $"0-{units - 1}%{p}" : $"0-{units - 1}";
        var unitsJob = Sbatch(options, ["--dependency=afterok:" + prepare, "--kill-on-invalid-dep=yes", "--array=" + array, Write("units.sbatch", scripts.Units)]);
        var summarize = Sbatch(options, ["--dependency=afterok:" + unitsJob, "--kill-on-invalid-dep=yes", Write("summarize.sbatch", scripts.Summarize)]);
        submission = submission with { PrepareJob = prepare, UnitsJob = unitsJob, SummarizeJob = summarize };
        var json = JsonSerializer.Serialize(submission, ExperimentSpec.Json);
        Reporting.AtomicFile.WriteAllText(Path.Combine(folder, "submission.json"), json);
        Reporting.AtomicFile.WriteAllText(Path.Combine(SubmissionsFolder(resultsRoot, spec), "latest.json"), json);
        return (submission, scripts);
    }

    /// <summary>The latest submission of <paramref name="spec"/> under <paramref name="resultsRoot"/>, or null.</summary>
    public static SlurmSubmission? Latest(ExperimentSpec spec, string resultsRoot)
    {
        var p = Path.Combine(SubmissionsFolder(resultsRoot, spec), "latest.json");
        return File.Exists(p) ? JsonSerializer.Deserialize<SlurmSubmission>(File.ReadAllText(p), ExperimentSpec.Json) : null;
    }

    /// <summary>
    /// A human-readable status of the latest submission: units completed in the run folder (once the prepare job has
    /// named it), and the scheduler's view of the three jobs (<c>squeue</c>, then <c>sacct</c> where accounting is on).
    /// </summary>
    public static string Status(ExperimentSpec spec, string resultsRoot)
    {
        var s = Latest(spec, resultsRoot) ?? throw new ExperimentSpecException(
            $"{spec.Name}: no Slurm submission under {SubmissionsFolder(resultsRoot, spec)}; submit with hfb reproduce SPEC --backend slurm");
        var lines = new List<string> { $"{spec.Name}: submitted {s.SubmittedUtc}, {s.Units} units, scripts and logs in {s.Folder}" };
        var runFile = Path.Combine(s.Folder, "run-folder.txt");
        if (File.Exists(runFile))
        {
            var run = File.ReadAllText(runFile).Trim();
            int done = Directory.Exists(Path.Combine(run, "units")) ? Directory.EnumerateFiles(Path.Combine(run, "units"), "*.json", SearchOption.AllDirectories).Count() : 0;
            lines.Add($"run folder {run}: {Math.Min(done, s.Units)} of {s.Units} units completed{(File.Exists(Path.Combine(run, "metrics.json")) ? "; metrics.json written" : "")}");
        }
        else lines.Add("run folder: not yet known (the prepare job has not finished)");
        var ids = new[] { s.PrepareJob, s.UnitsJob, s.SummarizeJob }.Where(i => i is not null).ToArray();
        if (ids.Length > 0)
        {
            var queue = Run("squeue", ["-h", "-o", "%i %j %T %r", "-j", string.Join(",", ids)]);
            lines.Add(queue is null ? "squeue: not available" : queue.Length == 0 ? "squeue: no job of this submission is pending or running" : "squeue:\n" + queue);
            var acct = Run("sacct", ["-n", "-X", "-P", "-o", "JobID,JobName,State,ExitCode", "-j", string.Join(",", ids)]);
            if (acct is { Length: > 0 }) lines.Add("sacct:\n" + acct);
        }
        return string.Join("\n", lines);
    }

    private static string Sbatch(SlurmOptions o, IReadOnlyList<string> args)
    {
        var all = new List<string> { "--parsable" };
        if (o.Partition is not null) all.Add("--partition=" + o.Partition);
        if (o.Account is not null) all.Add("--account=" + o.Account);
        all.AddRange(args);
        var output = Run(o.Sbatch, all) ?? throw new ExternalToolException(o.Sbatch, $"'{o.Sbatch}' was not found: install Slurm's client tools or run on a login node (docs/slurm.md)");
        var id = output.Split(';')[0].Trim();
        if (id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new ExternalToolException(o.Sbatch, $"sbatch did not print a job id (output: '{output}')");
        return id;
    }

    /// <summary>Runs a tool and returns its stdout, or null when it cannot be started; a non-zero exit is an <see cref="ExternalToolException"/> with its stderr.</summary>
    private static string? Run(string tool, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { return null; }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                if (tool.EndsWith("sacct", StringComparison.Ordinal)) return null; // accounting disabled: status without it
                throw new ExternalToolException(tool, $"{tool} {string.Join(' ', args)} failed (exit {p.ExitCode}): {stderr.Trim()}");
            }
            return stdout.Result.TrimEnd();
        }
    }
}
