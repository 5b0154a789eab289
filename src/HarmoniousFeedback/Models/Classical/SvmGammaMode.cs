namespace HarmoniousFeedback.Models.Classical;

/// <summary>How γ is chosen: scikit-learn's <c>gamma="scale"</c>, <c>"auto"</c> or a number.</summary>
public enum SvmGammaMode
{
    /// <summary><c>γ = 1 / (n_features · Var(X))</c>, Var over all entries of the training matrix (scikit-learn's default).</summary>
    Scale,
    /// <summary><c>γ = 1 / n_features</c> (libsvm's default).</summary>
    Auto,
    /// <summary>The given positive value.</summary>
    Value,
}
