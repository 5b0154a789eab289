using System.Globalization;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// Options of <see cref="LogisticRegression"/>; names and defaults are scikit-learn's
/// <c>LogisticRegression(penalty="l2", C=1.0, solver="lbfgs", tol=1e-4, max_iter=100, fit_intercept=True)</c>.
/// </summary>
public sealed record LogisticRegressionOptions
{
    /// <summary>Inverse regularisation strength, &gt; 0: the objective is C·Σ log-loss + ½‖W‖².</summary>
    public double C { get; init; } = 1.0;
    /// <summary>L-BFGS iteration limit (scikit-learn's default 100; baselines often use 1000).</summary>
    public int MaxIter { get; init; } = 100;
    /// <summary>Stop when the largest absolute gradient entry of Σ log-loss + ‖W‖²/(2C) is ≤ Tol (SciPy's gtol).</summary>
    public double Tol { get; init; } = 1e-4;
    /// <summary>Fit an unpenalised intercept per class.</summary>
    public bool FitIntercept { get; init; } = true;
    /// <summary>Threads summing the loss over row blocks (≥ 1); results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Math.Min(Environment.ProcessorCount, 2);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(LogisticRegressionOptions));
        v.Check(C > 0 && double.IsFinite(C), $"C = {C.ToString(CultureInfo.InvariantCulture)} must be a finite number > 0");
        v.Check(MaxIter >= 1, $"MaxIter = {MaxIter} must be an integer >= 1");
        v.Check(Tol > 0 && double.IsFinite(Tol), $"Tol = {Tol.ToString(CultureInfo.InvariantCulture)} must be a finite number > 0");
        v.Check(MaxDegreeOfParallelism >= 1, $"MaxDegreeOfParallelism = {MaxDegreeOfParallelism} must be >= 1");
        v.ThrowIfAny();
    }
}
