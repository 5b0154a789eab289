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
}
