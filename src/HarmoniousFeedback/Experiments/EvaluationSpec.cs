namespace HarmoniousFeedback.Experiments;

public sealed record EvaluationSpec
{
    public required EvaluationScheme Scheme { get; init; }
    /// <summary>Folds per repeat; the paper's "50 % cross-validation" is 2.</summary>
    public int Folds { get; init; } = 2;
    public int Repeats { get; init; } = 1;
    public int Seed { get; init; } = 1;
    /// <summary>Bootstrap resamples B for the 95 % confidence intervals of Table 1 and <c>metrics.json</c> (the same B and
    /// seed for both); 0 = no intervals, else at least 100.</summary>
    public int Bootstrap { get; init; } = 1000;

    internal void Validate(string at, List<string> p, DatasetSpec data)
    {
        if (Folds is < 2 or > 50) p.Add($"{at}.folds = {Folds} must be in [2, 50]");
        if (Repeats is < 1 or > 100) p.Add($"{at}.repeats = {Repeats} must be in [1, 100]");
        if (Bootstrap is not 0 and (< 100 or > 100_000)) p.Add($"{at}.bootstrap = {Bootstrap} must be 0 (no confidence intervals) or in [100, 100000]");
        if (Scheme == EvaluationScheme.OfficialSplit && data.Kind is DatasetKind.Vgmidi)
            p.Add($"{at}.scheme = official-split is not available for vgmidi (it has no official split; use grouped-kfold)");
    }
}
