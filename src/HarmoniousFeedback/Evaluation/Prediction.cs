namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// One model output for one clip in one evaluation unit: the currency of this stage (metrics know predictions,
/// never models). <see cref="Fold"/> and <see cref="Repeat"/> identify the cross-validation unit the clip was
/// tested in (use 0/0 for a single holdout split). Labels are strings; integer class ids can be passed with
/// <see cref="FromIds"/>.
/// </summary>
/// <param name="ClipId">Identifier of the clip (unique within one repeat).</param>
/// <param name="Fold">0-based fold index within the repeat.</param>
/// <param name="Repeat">0-based repeat index of repeated cross-validation.</param>
/// <param name="Truth">The reference class label.</param>
/// <param name="Predicted">The predicted class label.</param>
/// <param name="Probabilities">Optional class → probability (or score) map; may be null.</param>
public sealed record Prediction(
    string ClipId,
    int Fold,
    int Repeat,
    string Truth,
    string Predicted,
    IReadOnlyDictionary<string, double>? Probabilities = null)
{
    /// <summary>True when <see cref="Predicted"/> equals <see cref="Truth"/> (ordinal comparison).</summary>
    public bool IsCorrect => string.Equals(Truth, Predicted, StringComparison.Ordinal);

    /// <summary>A prediction from integer class ids, formatted with the invariant culture.</summary>
    public static Prediction FromIds(string clipId, int fold, int repeat, int truth, int predicted, IReadOnlyDictionary<string, double>? probabilities = null)
        => new(clipId, fold, repeat,
            truth.ToString(System.Globalization.CultureInfo.InvariantCulture),
            predicted.ToString(System.Globalization.CultureInfo.InvariantCulture), probabilities);
}
