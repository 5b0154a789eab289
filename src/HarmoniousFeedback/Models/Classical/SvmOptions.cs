using System.Globalization;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// Options of the C-support-vector classifier (<see cref="SvmClassifier"/>). Names and defaults are scikit-learn's
/// <c>sklearn.svm.SVC</c> (which wraps libsvm): <c>C=1</c>, <c>kernel="rbf"</c>, <c>gamma="scale"</c>, <c>degree=3</c>,
/// <c>coef0=0</c>, <c>tol=1e-3</c>, <c>cache_size=200</c> MB, <c>shrinking=True</c>, <c>max_iter=-1</c>.
/// </summary>
public sealed record SvmOptions
{
    /// <summary>Penalty of the hinge slack, <c>C &gt; 0</c>: the box constraint 0 ≤ αᵢ ≤ C of the dual.</summary>
    public double C { get; init; } = 1.0;
    public SvmKernel Kernel { get; init; } = SvmKernel.Rbf;
    /// <summary>γ of the RBF/poly/sigmoid kernels (ignored by the linear kernel).</summary>
    public SvmGamma Gamma { get; init; } = SvmGamma.Scale;
    /// <summary>Degree of the polynomial kernel, ≥ 1.</summary>
    public int Degree { get; init; } = 3;
    /// <summary>Independent term of the polynomial and sigmoid kernels.</summary>
    public double Coef0 { get; init; }
    /// <summary>Stopping tolerance ε of SMO: stop when the maximal violating pair's gap m(α) − M(α) &lt; ε (libsvm <c>-e</c>).</summary>
    public double Tol { get; init; } = 1e-3;
    /// <summary>Kernel-row cache in MiB, shared by the one-vs-one sub-problems running in parallel (libsvm gives each its own).</summary>
    public double CacheSizeMb { get; init; } = 200;
    /// <summary>Use libsvm's shrinking heuristic (temporarily drop bounded variables unlikely to change).</summary>
    public bool Shrinking { get; init; } = true;
    /// <summary>SMO iteration limit per binary sub-problem; −1 = libsvm's own limit max(10⁷, 100·n).</summary>
    public int MaxIter { get; init; } = -1;
    /// <summary>
    /// Also fit libsvm's probability model (Platt sigmoids on 5-fold cross-validated decision values per pair, then
    /// pairwise coupling) so <see cref="SvmClassifier.PredictProba"/> works; costs about 5 extra fits (sklearn's
    /// <c>probability=False</c> default). Predictions still come from the votes, as in libsvm.
    /// </summary>
    public bool Probability { get; init; }
    /// <summary>Seed of the cross-validation shuffle behind <see cref="Probability"/> (sklearn's <c>random_state</c>).</summary>
    public ulong RandomState { get; init; }
    /// <summary>Binary sub-problems trained concurrently (≥ 1); results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Math.Min(Environment.ProcessorCount, 2);

    public static readonly IReadOnlyList<string> KernelNames = ["rbf", "linear", "poly", "sigmoid"];

    /// <summary>Parses a kernel name (rbf, linear, poly, sigmoid), case-insensitive; null when unknown.</summary>
    public static SvmKernel? ParseKernel(string text) => text.Trim().ToLowerInvariant() switch
    {
        "rbf" => SvmKernel.Rbf,
        "linear" => SvmKernel.Linear,
        "poly" => SvmKernel.Poly,
        "sigmoid" => SvmKernel.Sigmoid,
        _ => null,
    };

    /// <summary>Throws one <see cref="OptionsValidationException"/> listing every invalid option.</summary>
    public void Validate()
    {
        var v = new OptionsValidator(nameof(SvmOptions));
        v.Check(C > 0 && double.IsFinite(C), $"C = {F(C)} must be a finite number > 0");
        v.Check(Enum.IsDefined(Kernel), $"Kernel = {Kernel} must be one of {string.Join(", ", Enum.GetNames<SvmKernel>())}");
        v.Check(Gamma.Mode != SvmGammaMode.Value || (Gamma.Value > 0 && double.IsFinite(Gamma.Value)),
            $"Gamma = {F(Gamma.Value)} must be \"scale\", \"auto\" or a finite number > 0");
        v.Check(Degree >= 1, $"Degree = {Degree} must be an integer >= 1");
        v.Check(double.IsFinite(Coef0), $"Coef0 = {F(Coef0)} must be finite");
        v.Check(Tol > 0 && double.IsFinite(Tol), $"Tol = {F(Tol)} must be a finite number > 0");
        v.Check(CacheSizeMb > 0 && double.IsFinite(CacheSizeMb), $"CacheSizeMb = {F(CacheSizeMb)} must be a finite number > 0");
        v.Check(MaxIter == -1 || MaxIter > 0, $"MaxIter = {MaxIter} must be -1 (no limit but libsvm's) or > 0");
        v.Check(MaxDegreeOfParallelism >= 1, $"MaxDegreeOfParallelism = {MaxDegreeOfParallelism} must be >= 1");
        v.ThrowIfAny();
    }

    private static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
