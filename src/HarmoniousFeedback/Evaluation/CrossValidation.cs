using System.Globalization;

namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// One train/test split of sample indices <c>0..count−1</c>. <see cref="Train"/> and <see cref="Test"/> are
/// disjoint and sorted ascending; <see cref="Repeat"/>/<see cref="Fold"/> identify the unit for <see cref="Prediction"/>.
/// </summary>
public sealed record DataSplit(int Repeat, int Fold, int[] Train, int[] Test)
{
    public override string ToString() => $"repeat {Repeat} fold {Fold}: {Train.Length} train / {Test.Length} test";
}

/// <summary>
/// A deterministic cross-validation scheme: given the number of samples and, where needed, a class label and a
/// group (song/artist) id per sample, produces the list of <see cref="DataSplit"/>s. The same inputs and seed always
/// give the same splits (see <see cref="DeterministicRandom"/>).
/// </summary>
public interface ICrossValidator
{
    /// <summary>Human-readable description for manifests and reports, e.g. "StratifiedKFold(k=5, shuffle, seed=1)".</summary>
    string Description { get; }

    /// <summary>The splits, in fold order.</summary>
    /// <param name="count">Number of samples.</param>
    /// <param name="labels">Class label per sample (required by stratified schemes).</param>
    /// <param name="groups">Group id per sample (required by grouped schemes); a group never spans train and test.</param>
    /// <exception cref="CrossValidationException">the inputs cannot give the requested folds; the message names the field and allowed values.</exception>
    IReadOnlyList<DataSplit> Split(int count, IReadOnlyList<string>? labels = null, IReadOnlyList<string>? groups = null);
}

/// <summary>Shared checks and fold assembly.</summary>
internal static class SplitHelpers
{
    public static OptionsValidator Validator(string name, int nSplits, int count, IReadOnlyList<string>? labels, IReadOnlyList<string>? groups)
    {
        var v = new OptionsValidator(name);
        v.Check(nSplits >= 2, $"NSplits = {nSplits} must be ≥ 2");
        v.Check(count >= 1, $"count = {count} must be ≥ 1");
        v.Check(nSplits <= count || count < 1, $"NSplits = {nSplits} must be ≤ the number of samples ({count})");
        CheckLengths(v, count, labels, groups);
        return v;
    }

    public static void CheckLengths(OptionsValidator v, int count, IReadOnlyList<string>? labels, IReadOnlyList<string>? groups)
    {
        if (labels is not null) v.Check(labels.Count == count, $"labels has {labels.Count} entries but count = {count}");
        if (groups is not null) v.Check(groups.Count == count, $"groups has {groups.Count} entries but count = {count}");
    }

    public static void Throw(OptionsValidator v, string name)
    {
        if (v.Problems.Count > 0) throw new CrossValidationException(name, v.Problems.ToArray());
    }

    public static CrossValidationException Error(string name, string problem) => new(name, [problem]);

    /// <summary>Builds splits from a test-fold assignment per sample; throws if a fold is empty.</summary>
    public static IReadOnlyList<DataSplit> FromAssignment(string name, int[] testFold, int nSplits, int repeat = 0)
    {
        var tests = new List<int>[nSplits];
        for (int f = 0; f < nSplits; f++) tests[f] = new List<int>();
        for (int i = 0; i < testFold.Length; i++) tests[testFold[i]].Add(i);
        var empty = Enumerable.Range(0, nSplits).Where(f => tests[f].Count == 0).ToArray();
        if (empty.Length > 0)
            throw Error(name, $"fold(s) {string.Join(", ", empty)} would have an empty test set; use fewer NSplits (allowed: 2..{nSplits - empty.Length}) or more samples/groups");
        var splits = new DataSplit[nSplits];
        for (int f = 0; f < nSplits; f++)
        {
            var test = tests[f].ToArray();
            var train = new int[testFold.Length - test.Length];
            int t = 0;
            for (int i = 0; i < testFold.Length; i++) if (testFold[i] != f) train[t++] = i;
            splits[f] = new DataSplit(repeat, f, train, test);
        }
        return splits;
    }

    public static string Seeded(bool shuffle, int seed) => shuffle ? $", shuffle, seed={seed.ToString(CultureInfo.InvariantCulture)}" : "";
}

/// <summary>
/// k-fold cross-validation (sklearn <c>KFold</c>): indices (shuffled with <see cref="Seed"/> when
/// <see cref="Shuffle"/>) are cut into k consecutive folds; the first <c>count mod k</c> folds have
/// <c>⌊count/k⌋ + 1</c> samples, the rest <c>⌊count/k⌋</c>.
/// </summary>
public sealed record KFold(int NSplits = 5, bool Shuffle = true, int Seed = 0) : ICrossValidator
{
    public string Description => $"KFold(k={NSplits}{SplitHelpers.Seeded(Shuffle, Seed)})";

    public IReadOnlyList<DataSplit> Split(int count, IReadOnlyList<string>? labels = null, IReadOnlyList<string>? groups = null)
    {
        SplitHelpers.Throw(SplitHelpers.Validator(nameof(KFold), NSplits, count, labels, groups), nameof(KFold));
        var order = Enumerable.Range(0, count).ToArray();
        if (Shuffle) new DeterministicRandom(Seed).Shuffle<int>(order);
        var fold = new int[count];
        int pos = 0;
        for (int f = 0; f < NSplits; f++)
        {
            int size = count / NSplits + (f < count % NSplits ? 1 : 0);
            for (int i = 0; i < size; i++) fold[order[pos++]] = f;
        }
        return SplitHelpers.FromAssignment(nameof(KFold), fold, NSplits);
    }
}

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

/// <summary>
/// Stratified group k-fold (sklearn <c>StratifiedGroupKFold</c>): groups never span folds and the class distribution of
/// every fold is kept close to the overall one. Groups are visited in decreasing order of the standard deviation of
/// their class counts (ties: shuffled with <see cref="Seed"/> when <see cref="Shuffle"/>, else by group id); each goes
/// to the fold that minimises the mean over classes of the std across folds of (fold class count / class total), ties
/// broken by the fold with fewer samples. Needs ≥ k groups and ≥ 2 classes; a fold left empty is an error.
/// </summary>
public sealed record StratifiedGroupKFold(int NSplits = 5, bool Shuffle = true, int Seed = 0) : ICrossValidator
{
    public string Description => $"StratifiedGroupKFold(k={NSplits}{SplitHelpers.Seeded(Shuffle, Seed)})";

    public IReadOnlyList<DataSplit> Split(int count, IReadOnlyList<string>? labels = null, IReadOnlyList<string>? groups = null)
    {
        const string name = nameof(StratifiedGroupKFold);
        var v = SplitHelpers.Validator(name, NSplits, count, labels, groups);
        v.Check(labels is not null, "labels is required (one class label per sample) for stratification");
        v.Check(groups is not null, "groups is required (one group id per sample, e.g. the song)");
        SplitHelpers.Throw(v, name);
        var (y, classNames, classTotals) = StratifiedKFold.Encode(labels!);
        if (classNames.Length < 2)
            throw SplitHelpers.Error(name, $"labels has a single class '{classNames[0]}'; stratification needs ≥ 2 classes (use GroupKFold)");
        var (groupOf, groupNames) = GroupKFold.EncodeGroups(groups!);
        if (groupNames.Length < NSplits)
            throw SplitHelpers.Error(name, $"NSplits = {NSplits} exceeds the number of distinct groups ({groupNames.Length}); allowed: 2..{groupNames.Length}");
        int nc = classNames.Length, ng = groupNames.Length;
        var perGroup = new double[ng, nc];
        for (int i = 0; i < count; i++) perGroup[groupOf[i], y[i]]++;
        var groupStd = new double[ng];
        for (int g = 0; g < ng; g++)
        {
            double m = 0; for (int k = 0; k < nc; k++) m += perGroup[g, k]; m /= nc;
            double s = 0; for (int k = 0; k < nc; k++) s += (perGroup[g, k] - m) * (perGroup[g, k] - m);
            groupStd[g] = Math.Sqrt(s / nc);
        }
        var order = GroupKFold.GroupOrder(groupNames, Shuffle, Seed).OrderByDescending(g => groupStd[g]).ToArray(); // stable
        var perFold = new double[NSplits, nc];
        var groupFold = new int[ng];
        foreach (var g in order)
        {
            int best = -1; double bestEval = double.PositiveInfinity, bestSamples = double.PositiveInfinity;
            for (int f = 0; f < NSplits; f++)
            {
                for (int k = 0; k < nc; k++) perFold[f, k] += perGroup[g, k];
                double eval = 0;
                for (int k = 0; k < nc; k++)
                {
                    double m = 0;
                    for (int h = 0; h < NSplits; h++) m += perFold[h, k] / classTotals[k];
                    m /= NSplits;
                    double s = 0;
                    for (int h = 0; h < NSplits; h++) { double d = perFold[h, k] / classTotals[k] - m; s += d * d; }
                    eval += Math.Sqrt(s / NSplits);
                }
                eval /= nc;
                for (int k = 0; k < nc; k++) perFold[f, k] -= perGroup[g, k];
                double samples = 0; for (int k = 0; k < nc; k++) samples += perFold[f, k];
                // sklearn: fold_eval < min_eval or (np.isclose(fold_eval, min_eval) and samples < min_samples)
                bool close = !double.IsInfinity(bestEval) && Math.Abs(eval - bestEval) <= 1e-8 + 1e-5 * Math.Abs(bestEval);
                if (eval < bestEval || (close && samples < bestSamples)) { best = f; bestEval = eval; bestSamples = samples; }
            }
            for (int k = 0; k < nc; k++) perFold[best, k] += perGroup[g, k];
            groupFold[g] = best;
        }
        return SplitHelpers.FromAssignment(name, groupOf.Select(g => groupFold[g]).ToArray(), NSplits);
    }
}

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

/// <summary>Factories for the named schemes used in papers.</summary>
public static class CrossValidation
{
    /// <summary>
    /// "50 % cross-validation": 2-fold, each half trains once and tests once (stratified by default). Repeat it with
    /// <see cref="RepeatedCrossValidator"/> for 5×2 cv (Dietterich 1998).
    /// </summary>
    public static ICrossValidator HalfSplit(int seed = 0, bool stratified = true)
        => stratified ? new StratifiedKFold(2, true, seed) : new KFold(2, true, seed);
}

/// <summary>
/// An official (predefined) split: each sample carries a split name (e.g. "train", "validation", "test" from a dataset
/// manifest). One <see cref="DataSplit"/> with the <see cref="TrainNames"/> samples as train and the
/// <see cref="TestName"/> samples as test; samples with other names are left out.
/// </summary>
public sealed record PredefinedSplit(IReadOnlyList<string> Assignment, string TestName = "test", IReadOnlyList<string>? TrainNames = null) : ICrossValidator
{
    public string Description => $"PredefinedSplit(train={string.Join("+", TrainNames ?? ["train"])}, test={TestName})";

    public IReadOnlyList<DataSplit> Split(int count, IReadOnlyList<string>? labels = null, IReadOnlyList<string>? groups = null)
    {
        const string name = nameof(PredefinedSplit);
        var v = new OptionsValidator(name);
        v.Check(Assignment is not null && Assignment.Count == count, $"Assignment has {Assignment?.Count ?? 0} entries but count = {count}");
        SplitHelpers.CheckLengths(v, count, labels, groups);
        SplitHelpers.Throw(v, name);
        var trainNames = new HashSet<string>(TrainNames ?? ["train"], StringComparer.Ordinal);
        var train = Enumerable.Range(0, count).Where(i => trainNames.Contains(Assignment![i])).ToArray();
        var test = Enumerable.Range(0, count).Where(i => Assignment![i] == TestName).ToArray();
        var seen = string.Join(", ", Assignment!.Distinct().Order(StringComparer.Ordinal));
        if (trainNames.Contains(TestName)) throw SplitHelpers.Error(name, $"TestName '{TestName}' is also a train name");
        if (train.Length == 0) throw SplitHelpers.Error(name, $"no sample is in a train split [{string.Join(", ", trainNames)}]; Assignment has [{seen}]");
        if (test.Length == 0) throw SplitHelpers.Error(name, $"no sample is in the test split '{TestName}'; Assignment has [{seen}]");
        if (groups is not null)
        {
            var trainGroups = train.Select(i => groups[i]).ToHashSet(StringComparer.Ordinal);
            var leak = test.Select(i => groups[i]).FirstOrDefault(trainGroups.Contains);
            if (leak is not null) throw SplitHelpers.Error(name, $"group '{leak}' occurs in both train and test; the official split leaks a group");
        }
        return [new DataSplit(0, 0, train, test)];
    }
}

/// <summary>
/// A single random holdout split: a fraction <see cref="TestFraction"/> of the samples (of each class when
/// <see cref="Stratified"/>: round(fraction × class size)) goes to test, chosen with <see cref="Seed"/>. When groups are
/// given, whole groups are drawn in random order until the test set reaches round(fraction × count) samples, so no
/// group spans both sides; stratification is then not attempted.
/// </summary>
public sealed record HoldoutSplit(double TestFraction = 0.2, bool Stratified = true, int Seed = 0) : ICrossValidator
{
    public string Description => $"HoldoutSplit(test={TestFraction.ToString(CultureInfo.InvariantCulture)}{(Stratified ? ", stratified" : "")}, seed={Seed})";

    public IReadOnlyList<DataSplit> Split(int count, IReadOnlyList<string>? labels = null, IReadOnlyList<string>? groups = null)
    {
        const string name = nameof(HoldoutSplit);
        var v = new OptionsValidator(name);
        v.Check(TestFraction > 0 && TestFraction < 1, $"TestFraction = {TestFraction.ToString(CultureInfo.InvariantCulture)} must be in (0, 1)");
        v.Check(count >= 2, $"count = {count} must be ≥ 2");
        if (Stratified && groups is null) v.Check(labels is not null, "labels is required when Stratified = true (or pass groups for a grouped holdout)");
        SplitHelpers.CheckLengths(v, count, labels, groups);
        SplitHelpers.Throw(v, name);
        var rng = new DeterministicRandom(Seed);
        var isTest = new bool[count];
        if (groups is not null)
        {
            var (groupOf, names) = GroupKFold.EncodeGroups(groups);
            var order = GroupKFold.GroupOrder(names, true, Seed);
            int target = (int)Math.Round(TestFraction * count, MidpointRounding.AwayFromZero), taken = 0;
            var chosen = new bool[names.Length];
            foreach (var g in order)
            {
                if (taken >= target) break;
                chosen[g] = true;
                taken += groupOf.Count(x => x == g);
            }
            for (int i = 0; i < count; i++) isTest[i] = chosen[groupOf[i]];
            return Finish(isTest, count);
        }
        IEnumerable<int[]> strata = Stratified
            ? Enumerable.Range(0, count).GroupBy(i => labels![i], StringComparer.Ordinal).Select(g => g.ToArray())
            : [Enumerable.Range(0, count).ToArray()];
        foreach (var members in strata)
        {
            rng.Shuffle<int>(members);
            int nTest = (int)Math.Round(TestFraction * members.Length, MidpointRounding.AwayFromZero);
            for (int i = 0; i < nTest; i++) isTest[members[i]] = true;
        }
        return Finish(isTest, count);
    }

    private IReadOnlyList<DataSplit> Finish(bool[] isTest, int count)
    {
        const string name = nameof(HoldoutSplit);
        var test = Enumerable.Range(0, count).Where(i => isTest[i]).ToArray();
        var train = Enumerable.Range(0, count).Where(i => !isTest[i]).ToArray();
        if (test.Length == 0 || train.Length == 0)
            throw SplitHelpers.Error(name, $"TestFraction = {TestFraction.ToString(CultureInfo.InvariantCulture)} of {count} samples leaves {(test.Length == 0 ? "the test" : "the train")} set empty");
        return [new DataSplit(0, 0, train, test)];
    }
}
