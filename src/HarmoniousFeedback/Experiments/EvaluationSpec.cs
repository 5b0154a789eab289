using System.Text.Json.Serialization;

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
    /// <summary>held-out-renderer: the renderer whose renditions are the test set (and never trained on).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TestRenderer { get; init; }
    /// <summary>
    /// Cross-validation schemes only: run the folds on the clips of these official-split parts only (e.g.
    /// <c>["train", "val"]</c> — a development protocol that never sees the official test clips); null = every clip.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Within { get; init; }

    internal void Validate(string at, List<string> p, DatasetSpec data)
    {
        if (Folds is < 2 or > 50) p.Add($"{at}.folds = {Folds} must be in [2, 50]");
        if (Repeats is < 1 or > 100) p.Add($"{at}.repeats = {Repeats} must be in [1, 100]");
        if (Bootstrap is not 0 and (< 100 or > 100_000)) p.Add($"{at}.bootstrap = {Bootstrap} must be 0 (no confidence intervals) or in [100, 100000]");
        if (Within is not null)
        {
            if (Scheme is not (EvaluationScheme.GroupedKfold or EvaluationScheme.StratifiedKfold))
                p.Add($"{at}.within applies to grouped-kfold and stratified-kfold only, not {Scheme}");
            if (Within.Count == 0) p.Add($"{at}.within must name at least one official-split part (train, val, test)");
            foreach (var w in Within)
                if (w is not ("train" or "val" or "test")) p.Add($"{at}.within contains '{w}' (allowed: train, val, test)");
            if (data.Kind is DatasetKind.Vgmidi) p.Add($"{at}.within needs a dataset with an official split; vgmidi has none");
        }
        if (Scheme == EvaluationScheme.OfficialSplit && data.Kind is DatasetKind.Vgmidi)
            p.Add($"{at}.scheme = official-split is not available for vgmidi (it has no official split; use grouped-kfold)");
        if (Scheme == EvaluationScheme.HeldOutRenderer)
        {
            if (data.Kind != DatasetKind.Feedback)
                p.Add($"{at}.scheme = held-out-renderer needs a dataset whose clips are rendered by several renderers (kind feedback)");
            else if (string.IsNullOrWhiteSpace(TestRenderer))
                p.Add($"{at}.testRenderer is required for held-out-renderer (one of: {data.FeedbackRenderers})");
            else if (!data.FeedbackRenderers.Split(',', StringSplitOptions.TrimEntries).Contains(TestRenderer))
                p.Add($"{at}.testRenderer = '{TestRenderer}' is not one of the dataset's renderers ({data.FeedbackRenderers})");
        }
        else if (TestRenderer is not null) p.Add($"{at}.testRenderer applies only to scheme held-out-renderer");
    }
}
