using System.Globalization;

namespace HarmoniousFeedback.Evaluation;

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
