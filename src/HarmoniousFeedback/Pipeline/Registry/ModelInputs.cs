namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary>
/// What a model kind reads: the feature views it takes when an experiment names none, how many views it accepts, and
/// which column types each may have (e.g. the LSTM: one <c>Sequence&lt;float&gt;[*, *]</c>; a classical model: one vector
/// or sequence, which it pools; a fusion model: one to four sequences).
/// </summary>
public sealed record ModelInputs
{
    public ModelInputs(IReadOnlyList<string> defaultViews, IReadOnlyList<ColumnType> accepts, int minCount = 1, int maxCount = 1)
    {
        if (defaultViews.Count < minCount || defaultViews.Count > maxCount || minCount < 1 || maxCount < minCount || accepts.Count == 0)
            throw new OptionsValidationException(nameof(ModelInputs), [$"defaultViews has {defaultViews.Count} entries, minCount = {minCount}, maxCount = {maxCount}, {accepts.Count} accepted types: need 1 ≤ minCount ≤ defaults ≤ maxCount and at least one accepted type"]);
        DefaultViews = defaultViews;
        Accepts = accepts;
        MinCount = minCount;
        MaxCount = maxCount;
    }

    public IReadOnlyList<string> DefaultViews { get; }
    public IReadOnlyList<ColumnType> Accepts { get; }
    public int MinCount { get; }
    public int MaxCount { get; }

    /// <summary>One problem per input that does not fit, naming the view, its type and what the model accepts.</summary>
    public void Check(string modelName, IReadOnlyList<ModelInput> inputs, List<string> problems)
    {
        if (inputs.Count < MinCount || inputs.Count > MaxCount)
            problems.Add($"a {modelName} model reads {(MinCount == MaxCount ? $"{MinCount}" : $"{MinCount} to {MaxCount}")} feature view(s), not {inputs.Count} ({string.Join(", ", inputs.Select(i => i.View))})");
        foreach (var i in inputs)
            if (!Accepts.Any(a => a.Accepts(i.Type)))
                problems.Add($"a {modelName} model reads {string.Join(" or ", Accepts)}, but view '{i.View}' is {i.Type}");
    }
}
