namespace HarmoniousFeedback.Experiments.Slurm;

/// <summary>
/// What a Slurm submission recorded (<c>submission.json</c> in its folder, and <c>latest.json</c> beside the
/// experiment's runs): the spec, the number of units, the three job ids and the folder of scripts and logs.
/// </summary>
public sealed record SlurmSubmission
{
    public required string Experiment { get; init; }
    public required string Spec { get; init; }
    public required int Units { get; init; }
    public required string Folder { get; init; }
    public required string SubmittedUtc { get; init; }
    public string? PrepareJob { get; init; }
    public string? UnitsJob { get; init; }
    public string? SummarizeJob { get; init; }
}
