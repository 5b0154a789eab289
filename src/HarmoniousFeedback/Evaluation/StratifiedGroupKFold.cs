namespace HarmoniousFeedback.Evaluation;

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
