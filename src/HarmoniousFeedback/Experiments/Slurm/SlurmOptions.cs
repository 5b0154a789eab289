namespace HarmoniousFeedback.Experiments.Slurm;

/// <summary>
/// How an experiment's units go to a Slurm cluster (<c>hfb reproduce SPEC --backend slurm</c>): the sbatch resources of
/// each array task, how many run at once, and how a job reaches <c>hfb</c> on the compute nodes. A shared filesystem
/// is assumed: the spec, the data root, the results root and <c>hfb</c> itself must be visible at the same paths on
/// every node (docs/slurm.md).
/// </summary>
public sealed record SlurmOptions
{
    /// <summary>sbatch <c>--partition</c>; null = the cluster's default partition.</summary>
    public string? Partition { get; init; }
    /// <summary>sbatch <c>--account</c>; null = the user's default account.</summary>
    public string? Account { get; init; }
    /// <summary>Array tasks running at once (the <c>%N</c> of <c>--array</c>); null = as many as the scheduler allows.</summary>
    public int? MaxParallel { get; init; }
    /// <summary>sbatch <c>--time</c> per task, e.g. <c>01:00:00</c>; null = the partition's default.</summary>
    public string? Time { get; init; }
    /// <summary>sbatch <c>--mem</c> per task, e.g. <c>4G</c>; null = the partition's default.</summary>
    public string? Mem { get; init; }
    /// <summary>sbatch <c>--cpus-per-task</c>; each task trains one unit with that many threads.</summary>
    public int CpusPerTask { get; init; } = 2;
    /// <summary>Shell lines run at the top of every job before <c>hfb</c> (e.g. <c>module load dotnet/10.0</c>).</summary>
    public IReadOnlyList<string> Setup { get; init; } = [];
    /// <summary>The command line that runs <c>hfb</c> on a node (e.g. <c>"/usr/bin/dotnet" "/shared/hfb/hfb.dll"</c>).</summary>
    public required string HfbCommand { get; init; }
    /// <summary>The <c>sbatch</c> executable.</summary>
    public string Sbatch { get; init; } = "sbatch";

    public void Validate()
    {
        var v = new OptionsValidator(nameof(SlurmOptions));
        v.Check(MaxParallel is null or >= 1, $"max-parallel = {MaxParallel} must be >= 1");
        v.Check(CpusPerTask >= 1, $"cpus-per-task = {CpusPerTask} must be >= 1");
        v.Check(Time is null || System.Text.RegularExpressions.Regex.IsMatch(Time, @"^(\d+-)?\d+(:\d{1,2}){0,2}$"), $"time = '{Time}' is not a Slurm time (minutes, MM:SS, HH:MM:SS or D-HH:MM:SS)");
        v.Check(Mem is null || System.Text.RegularExpressions.Regex.IsMatch(Mem, @"^\d+[KMGT]?$"), $"mem = '{Mem}' is not a Slurm memory size (e.g. 4000, 4G)");
        v.Check(!string.IsNullOrWhiteSpace(HfbCommand), "the hfb command must not be empty");
        foreach (var (name, value) in new[] { ("partition", Partition), ("account", Account) })
            v.Check(value is null || System.Text.RegularExpressions.Regex.IsMatch(value, @"^[A-Za-z0-9_.,\-]+$"), $"{name} = '{value}' may contain only letters, digits, '_', '.', ',' and '-'");
        v.ThrowIfAny();
    }
}
