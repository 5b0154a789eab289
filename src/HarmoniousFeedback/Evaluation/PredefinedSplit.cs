namespace HarmoniousFeedback.Evaluation;

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
