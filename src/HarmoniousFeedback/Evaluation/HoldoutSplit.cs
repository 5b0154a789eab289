using System.Globalization;

namespace HarmoniousFeedback.Evaluation;

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
