namespace HarmoniousFeedback.Evaluation;

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
