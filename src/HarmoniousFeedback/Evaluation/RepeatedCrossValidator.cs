namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Repeats a splitter with seeds <c>Seed + r</c> for r = 0..Repeats−1 (sklearn's <c>RepeatedStratifiedKFold</c> idea,
/// with explicit per-repeat seeds); <see cref="DataSplit.Repeat"/> is r.
/// </summary>
public sealed class RepeatedCrossValidator : ICrossValidator
{
    private readonly Func<int, ICrossValidator> _factory;

    /// <summary>Number of repeats (≥ 1).</summary>
    public int Repeats { get; }

    /// <summary>Base seed; repeat r uses Seed + r.</summary>
    public int Seed { get; }

    /// <param name="factory">Builds the splitter of one repeat from its seed.</param>
    /// <param name="repeats">Number of repeats ≥ 1.</param>
    /// <param name="seed">Base seed.</param>
    public RepeatedCrossValidator(Func<int, ICrossValidator> factory, int repeats, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (repeats < 1) throw SplitHelpers.Error(nameof(RepeatedCrossValidator), $"Repeats = {repeats} must be ≥ 1");
        _factory = factory; Repeats = repeats; Seed = seed;
    }

    /// <summary>Repeated stratified k-fold.</summary>
    public static RepeatedCrossValidator StratifiedKFold(int nSplits, int repeats, int seed = 0)
        => new(s => new StratifiedKFold(nSplits, true, s), repeats, seed);

    /// <summary>Repeated stratified group k-fold.</summary>
    public static RepeatedCrossValidator StratifiedGroupKFold(int nSplits, int repeats, int seed = 0)
        => new(s => new StratifiedGroupKFold(nSplits, true, s), repeats, seed);

    public string Description => $"{Repeats} × {_factory(Seed).Description} (seed + repeat)";

    public IReadOnlyList<DataSplit> Split(int count, IReadOnlyList<string>? labels = null, IReadOnlyList<string>? groups = null)
    {
        var all = new List<DataSplit>();
        for (int r = 0; r < Repeats; r++)
            foreach (var s in _factory(unchecked(Seed + r)).Split(count, labels, groups))
                all.Add(s with { Repeat = r });
        return all;
    }
}
