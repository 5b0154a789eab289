namespace HarmoniousFeedback.Evaluation;

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
