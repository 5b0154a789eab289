using System.Runtime.CompilerServices;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>Kernel parameters resolved for one fit (γ already a number).</summary>
internal readonly record struct KernelParameters(SvmKernel Kernel, double Gamma, int Degree, double Coef0)
{
    /// <summary>K(u, v) from the dot product u·v and the squared norms ‖u‖², ‖v‖².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double FromDot(double dot, double sqU, double sqV) => Kernel switch
    {
        SvmKernel.Linear => dot,
        SvmKernel.Poly => Math.Pow(Gamma * dot + Coef0, Degree),
        SvmKernel.Rbf => Math.Exp(-Gamma * Math.Max(sqU + sqV - 2 * dot, 0)),
        _ => Math.Tanh(Gamma * dot + Coef0),
    };
}
