namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Group k-fold (sklearn <c>GroupKFold</c>): each group (song, artist, performer) goes wholly into one test fold.
/// Groups are taken largest first (ties: shuffled with <see cref="Seed"/> when <see cref="Shuffle"/>, else by group id)
/// and each is put into the fold with the fewest samples so far, which balances fold sizes.
/// Needs at least k distinct groups.
/// </summary>
public sealed record GroupKFold(int NSplits = 5, bool Shuffle = false, int Seed = 0) : ICrossValidator
{
    public string Description => $"GroupKFold(k={NSplits}{SplitHelpers.Seeded(Shuffle, Seed)})";

    public IReadOnlyList<DataSplit> Split(int count, IReadOnlyList<string>? labels = null, IReadOnlyList<string>? groups = null)
    {
        const string name = nameof(GroupKFold);
        var v = SplitHelpers.Validator(name, NSplits, count, labels, groups);
        v.Check(groups is not null, "groups is required (one group id per sample, e.g. the song)");
        SplitHelpers.Throw(v, name);
        var (groupOf, groupNames) = EncodeGroups(groups!);
        if (groupNames.Length < NSplits)
            throw SplitHelpers.Error(name, $"NSplits = {NSplits} exceeds the number of distinct groups ({groupNames.Length}); allowed: 2..{groupNames.Length}");
        var sizes = new int[groupNames.Length];
        foreach (var g in groupOf) sizes[g]++;
        var order = GroupOrder(groupNames, Shuffle, Seed);
        var ordered = order.OrderByDescending(g => sizes[g]).ToArray(); // stable
        var foldSize = new long[NSplits];
        var groupFold = new int[groupNames.Length];
        foreach (var g in ordered)
        {
            int lightest = 0;
            for (int f = 1; f < NSplits; f++) if (foldSize[f] < foldSize[lightest]) lightest = f;
            foldSize[lightest] += sizes[g];
            groupFold[g] = lightest;
        }
        return SplitHelpers.FromAssignment(name, groupOf.Select(g => groupFold[g]).ToArray(), NSplits);
    }

    internal static (int[] GroupOf, string[] Names) EncodeGroups(IReadOnlyList<string> groups)
    {
        var names = groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++) index[names[i]] = i;
        return (groups.Select(g => index[g]).ToArray(), names);
    }

    internal static int[] GroupOrder(string[] names, bool shuffle, int seed)
    {
        var order = Enumerable.Range(0, names.Length).ToArray();
        if (shuffle) new DeterministicRandom(seed).Shuffle<int>(order);
        return order;
    }
}
