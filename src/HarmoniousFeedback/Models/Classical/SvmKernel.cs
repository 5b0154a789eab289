namespace HarmoniousFeedback.Models.Classical;

/// <summary>Kernel function of the SVM (libsvm's <c>-t</c>, scikit-learn's <c>kernel</c>).</summary>
public enum SvmKernel
{
    /// <summary><c>K(u, v) = u·v</c>.</summary>
    Linear,
    /// <summary><c>K(u, v) = (γ·u·v + coef0)^degree</c>.</summary>
    Poly,
    /// <summary><c>K(u, v) = exp(−γ·‖u − v‖²)</c> (the default).</summary>
    Rbf,
    /// <summary><c>K(u, v) = tanh(γ·u·v + coef0)</c>.</summary>
    Sigmoid,
}
