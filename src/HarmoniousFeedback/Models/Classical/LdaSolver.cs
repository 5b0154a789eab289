namespace HarmoniousFeedback.Models.Classical;

/// <summary>Solver of <see cref="LinearDiscriminantAnalysis"/> (scikit-learn's <c>solver</c>).</summary>
public enum LdaSolver
{
    /// <summary>Singular value decomposition of the class-centred data; never forms the covariance; no shrinkage (default).</summary>
    Svd,
    /// <summary>Least squares: <c>Σ wₖ = μₖ</c> solved directly; supports shrinkage.</summary>
    Lsqr,
    /// <summary>Generalised eigenproblem <c>S_b v = λ S_w v</c>; supports shrinkage.</summary>
    Eigen,
}
