using System.Globalization;
using System.Text;

namespace HarmoniousFeedback.Experiments.Slurm;

/// <summary>
/// The three job scripts of a Slurm submission (<see cref="SlurmBackend"/>): <c>prepare</c> (render the datasets and
/// extract every feature view into the shared data root, open the run folder), <c>units</c> (a job array: task i runs
/// unit i of the plan and writes its result atomically into the run folder; a unit already there is reused) and
/// <c>summarize</c> (metrics.json, tables and figures once every unit exists). Each is a plain bash script that calls
/// <c>hfb reproduce</c> with the same spec, data and results roots as the submitting command.
/// </summary>
public sealed record SlurmScripts(string Prepare, string Units, string Summarize)
{
    /// <summary>The scripts for <paramref name="specPath"/> with the given roots; logs go to <paramref name="folder"/>.</summary>
    public static SlurmScripts Create(ExperimentSpec spec, string specPath, string dataRoot, string resultsRoot, string folder, SlurmOptions o, bool fresh)
    {
        var common = $"reproduce {Quote(Path.GetFullPath(specPath))} --data {Quote(Path.GetFullPath(dataRoot))} --results {Quote(Path.GetFullPath(resultsRoot))} --threads \"${{SLURM_CPUS_PER_TASK:-{o.CpusPerTask}}}\"";
        return new SlurmScripts(
            Script(spec, "prepare", Path.Combine(folder, "prepare-%j.out"), o, $"{o.HfbCommand} {common} --prepare-only --run-folder-file {Quote(Path.Combine(folder, "run-folder.txt"))}{(fresh ? " --fresh" : "")}"),
            Script(spec, "units", Path.Combine(folder, "unit-%A_%a.out"), o, $"{o.HfbCommand} {common} --run-unit \"$SLURM_ARRAY_TASK_ID\""),
            Script(spec, "summarize", Path.Combine(folder, "summarize-%j.out"), o, $"{o.HfbCommand} {common} --summarize"));
    }

    private static string Script(ExperimentSpec spec, string step, string output, SlurmOptions o, string command)
    {
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append($"# hfb reproduce {spec.Name}: {step} (written by hfb --backend slurm; see docs/slurm.md)\n");
        sb.Append($"#SBATCH --job-name=hfb-{Safe(spec.Name)}-{step}\n");
        sb.Append($"#SBATCH --output={output}\n");
        sb.Append(string.Create(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={o.CpusPerTask}\n"));
        sb.Append($"#SBATCH --chdir={Directory.GetCurrentDirectory()}\n");
        if (o.Partition is not null) sb.Append($"#SBATCH --partition={o.Partition}\n");
        if (o.Account is not null) sb.Append($"#SBATCH --account={o.Account}\n");
        if (o.Time is not null) sb.Append($"#SBATCH --time={o.Time}\n");
        if (o.Mem is not null) sb.Append($"#SBATCH --mem={o.Mem}\n");
        sb.Append("set -euo pipefail\n");
        foreach (var line in o.Setup) sb.Append(line).Append('\n');
        sb.Append("exec ").Append(command).Append('\n');
        return sb.ToString();
    }

    private static string Safe(string name) => new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());

    /// <summary>A single-quoted shell word.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
