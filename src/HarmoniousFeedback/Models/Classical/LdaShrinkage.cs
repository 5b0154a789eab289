using System.Globalization;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// Covariance shrinkage of the <see cref="LdaSolver.Lsqr"/> and <see cref="LdaSolver.Eigen"/> solvers:
/// <c>Σ̂ = (1 − α)·S + α·(tr S / d)·I</c>. <see cref="Auto"/> picks α by the Ledoit–Wolf lemma (on standardised
/// features, then rescaled), as scikit-learn's <c>shrinkage="auto"</c>; <see cref="Of"/> fixes α ∈ [0, 1].
/// </summary>
public readonly record struct LdaShrinkage(bool IsAuto, double Value)
{
    public static LdaShrinkage Auto => new(true, double.NaN);
    public static LdaShrinkage Of(double alpha) => new(false, alpha);

    /// <summary>Parses <c>auto</c> or a number; null when neither.</summary>
    public static LdaShrinkage? TryParse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => Auto,
        var t when double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => Of(v),
        _ => null,
    };

    public override string ToString() => IsAuto ? "auto" : Value.ToString("R", CultureInfo.InvariantCulture);
}
