namespace HarmoniousFeedback.Evaluation;

/// <summary>The scalar classification metrics that bootstrap, fold summaries and comparisons can be asked for.</summary>
public enum ClassificationMetric
{
    /// <summary>Fraction correct (<see cref="ConfusionMatrix.Accuracy"/>).</summary>
    Accuracy,
    /// <summary>Unweighted mean of per-class F1 (<see cref="ConfusionMatrix.MacroF1"/>).</summary>
    MacroF1,
    /// <summary>Mean recall over classes present in the truth (<see cref="ConfusionMatrix.BalancedAccuracy"/>).</summary>
    BalancedAccuracy,
    /// <summary>Cohen's κ (<see cref="ConfusionMatrix.CohenKappa"/>).</summary>
    CohenKappa,
    /// <summary>Support-weighted F1 (<see cref="ConfusionMatrix.WeightedF1"/>).</summary>
    WeightedF1,
}
