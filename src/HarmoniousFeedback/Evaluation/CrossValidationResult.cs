namespace HarmoniousFeedback.Evaluation;

/// <summary>Every fold of a cross-validation, and the report over all folds' predictions (pooled metrics, mean ± std over folds).</summary>
public sealed record CrossValidationResult(IReadOnlyList<CrossValidationFold> Folds, ClassificationReport Overall);
