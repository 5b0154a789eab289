using System.Globalization;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// Options of <see cref="LinearDiscriminantAnalysis"/>; names and defaults are scikit-learn's
/// <c>LinearDiscriminantAnalysis(solver="svd", shrinkage=None, priors=None, tol=1e-4)</c>.
/// </summary>
public sealed record LdaOptions
{
    public LdaSolver Solver { get; init; } = LdaSolver.Svd;
    /// <summary>null = none (the empirical covariance); only with <see cref="LdaSolver.Lsqr"/> / <see cref="LdaSolver.Eigen"/>.</summary>
    public LdaShrinkage? Shrinkage { get; init; }
    /// <summary>Class priors in class order; null = class frequencies of the training data. Normalised to sum 1.</summary>
    public IReadOnlyList<double>? Priors { get; init; }
    /// <summary>Singular values ≤ Tol (relative to the largest, in the second step) are treated as zero by the SVD solver.</summary>
    public double Tol { get; init; } = 1e-4;

    public static readonly IReadOnlyList<string> SolverNames = ["svd", "lsqr", "eigen"];

    public static LdaSolver? ParseSolver(string text) => text.Trim().ToLowerInvariant() switch
    {
        "svd" => LdaSolver.Svd,
        "lsqr" => LdaSolver.Lsqr,
        "eigen" => LdaSolver.Eigen,
        _ => null,
    };

    public void Validate()
    {
        var v = new OptionsValidator(nameof(LdaOptions));
        v.Check(Enum.IsDefined(Solver), $"Solver = {Solver} must be one of svd, lsqr, eigen");
        v.Check(Shrinkage is null || Solver != LdaSolver.Svd,
            $"Shrinkage = {Shrinkage} is not supported with Solver = svd; use Solver = lsqr or eigen, or Shrinkage = null");
        v.Check(Shrinkage is not { IsAuto: false } s || (s.Value >= 0 && s.Value <= 1),
            $"Shrinkage = {Shrinkage} must be null, \"auto\" or a number in [0, 1]");
        v.Check(Tol > 0 && double.IsFinite(Tol), $"Tol = {Tol.ToString(CultureInfo.InvariantCulture)} must be a finite number > 0");
        v.Check(Priors is null || (Priors.All(p => p >= 0 && double.IsFinite(p)) && Priors.Sum() > 0),
            $"Priors = [{(Priors is null ? "" : string.Join(", ", Priors.Select(p => p.ToString(CultureInfo.InvariantCulture))))}] must be finite, >= 0 and not all 0");
        v.ThrowIfAny();
    }
}
