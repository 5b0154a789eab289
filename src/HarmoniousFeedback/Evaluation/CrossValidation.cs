namespace HarmoniousFeedback.Evaluation;

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
