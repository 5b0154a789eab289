namespace HarmoniousFeedback.Experiments;

public enum EvaluationScheme
{
    /// <summary>The dataset's official train/test split (validation part used for early stopping).</summary>
    OfficialSplit,
    /// <summary>k-fold CV with groups (songs) never split across folds, stratified by class, repeated.</summary>
    GroupedKfold,
    /// <summary>Stratified k-fold CV, repeated.</summary>
    StratifiedKfold,
    /// <summary>Train on the whole <c>dataset</c>, test on <c>testDataset</c>.</summary>
    TrainTest,
    /// <summary>
    /// Held-out pieces <em>and</em> a held-out renderer (a dataset whose clips name their renderer, e.g. the teaching-feedback
    /// corpus): song-grouped stratified k-fold CV over the pieces, where each fold trains on the training pieces rendered
    /// by every renderer except <see cref="EvaluationSpec.TestRenderer"/> and tests on the test pieces rendered by it.
    /// </summary>
    HeldOutRenderer,
}
