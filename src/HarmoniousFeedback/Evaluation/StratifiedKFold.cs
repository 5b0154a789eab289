namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Stratified k-fold (sklearn ≥ 0.22 <c>StratifiedKFold</c> allocation): the labels are sorted by class (classes in
/// order of first appearance) and dealt round-robin to the k folds, which fixes how many samples of each class every
/// fold receives (sizes differ by at most one per class and the folds by at most one overall); within a class the
/// fold slots are shuffled with <see cref="Seed"/> when <see cref="Shuffle"/>, else assigned in index order.
/// Every class must have at least k members unless <see cref="AllowSmallClasses"/> (sklearn only warns).
/// </summary>
public sealed record StratifiedKFold(int NSplits = 5, bool Shuffle = true, int Seed = 0, bool AllowSmallClasses = false) : ICrossValidator
{
    public string Description => $"StratifiedKFold(k={NSplits}{SplitHelpers.Seeded(Shuffle, Seed)})";

    public IReadOnlyList<DataSplit> Split(int count, IReadOnlyList<string>? labels = null, IReadOnlyList<string>? groups = null)
    {
        const string name = nameof(StratifiedKFold);
        var v = SplitHelpers.Validator(name, NSplits, count, labels, groups);
        v.Check(labels is not null, "labels is required (one class label per sample) for stratification");
        SplitHelpers.Throw(v, name);
        var (encoded, classNames, counts) = Encode(labels!);
        if (classNames.Length < 2)
            throw SplitHelpers.Error(name, $"labels has a single class '{classNames[0]}'; stratification needs ≥ 2 classes (use KFold)");
        var small = Enumerable.Range(0, classNames.Length).Where(k => counts[k] < NSplits).ToArray();
        if (small.Length == classNames.Length || (!AllowSmallClasses && small.Length > 0))
            throw SplitHelpers.Error(name, $"NSplits = {NSplits} exceeds the members of class(es) " +
                string.Join(", ", small.Select(k => $"'{classNames[k]}' ({counts[k]})")) + $"; allowed: 2..{counts.Min()}" +
                (small.Length < classNames.Length ? " (or set AllowSmallClasses)" : ""));
        int nClasses = classNames.Length;
        // allocation[f, k] = #{ positions p ≡ f (mod k) in the class-sorted label list with class k }
        var sortedY = encoded.Order().ToArray();
        var allocation = new int[NSplits, nClasses];
        for (int p = 0; p < sortedY.Length; p++) allocation[p % NSplits, sortedY[p]]++;
        var rng = new DeterministicRandom(Seed);
        var testFold = new int[count];
        for (int k = 0; k < nClasses; k++)
        {
            var slots = new List<int>();
            for (int f = 0; f < NSplits; f++) for (int r = 0; r < allocation[f, k]; r++) slots.Add(f);
            var arr = slots.ToArray();
            if (Shuffle) rng.Shuffle<int>(arr);
            int s = 0;
            for (int i = 0; i < count; i++) if (encoded[i] == k) testFold[i] = arr[s++];
        }
        return SplitHelpers.FromAssignment(name, testFold, NSplits);
    }

    /// <summary>Classes encoded in order of first appearance (sklearn's <c>np.unique(..., return_index)</c> trick).</summary>
    internal static (int[] Encoded, string[] Classes, int[] Counts) Encode(IReadOnlyList<string> labels)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var enc = new int[labels.Count];
        for (int i = 0; i < labels.Count; i++)
        {
            if (!index.TryGetValue(labels[i], out int k)) { k = names.Count; index[labels[i]] = k; names.Add(labels[i]); }
            enc[i] = k;
        }
        var counts = new int[names.Count];
        foreach (var k in enc) counts[k]++;
        return (enc, names.ToArray(), counts);
    }
}
