using HarmoniousFeedback.Models.Classical;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.Classical;

public class SmoWorkingSetSelectionTests
{
    /// <summary>
    /// The SIMD working-set selection must pick the same pair as libsvm's scalar loops in every iteration, so the
    /// whole run (α, ρ, iteration count) is bit-identical. Integer-valued features make exact ties in the gradients
    /// and objectives common, which exercises the last-index tie rule; odd sizes exercise the scalar tails.
    /// </summary>
    [Theory]
    [InlineData(5, SvmKernel.Rbf, 1.0, true, false)]
    [InlineData(37, SvmKernel.Linear, 1.0, true, false)]
    [InlineData(203, SvmKernel.Rbf, 10.0, true, false)]
    [InlineData(203, SvmKernel.Linear, 0.5, false, false)]
    [InlineData(256, SvmKernel.Poly, 2.0, true, true)]
    [InlineData(301, SvmKernel.Linear, 100.0, true, true)]
    [InlineData(301, SvmKernel.Rbf, 1.0, true, true)]
    public void Simd_selection_reproduces_the_scalar_reference_run(int n, SvmKernel kernel, double c, bool shrinking, bool integerFeatures)
    {
        const int d = 7;
        var g = new SyntheticData.SplitMix64((ulong)(n * 31 + (int)kernel));
        var x = new double[n * d];
        var y = new sbyte[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = (sbyte)(g.Normal() > 0.2 ? 1 : -1);
            for (int k = 0; k < d; k++)
            {
                double v = g.Normal() + (k == 0 ? 0.8 * y[i] : 0);
                x[i * d + k] = integerFeatures ? Math.Round(v) : v;
            }
        }
        var kp = new KernelParameters(kernel, 1.0 / d, 3, 1.0);
        // The solver permutes the rows of x in place: each run gets its own copy.
        var fast = new SmoSolver((double[])x.Clone(), d, y, kp, c, 1e-3, shrinking, 1L << 20, parallelRows: false).Solve(-1);
        var reference = new SmoSolver((double[])x.Clone(), d, y, kp, c, 1e-3, shrinking, 1L << 20, parallelRows: false) { ReferenceSelection = true }.Solve(-1);
        Assert.Equal(reference.Iterations, fast.Iterations);
        Assert.Equal(reference.Converged, fast.Converged);
        Assert.Equal(reference.Rho, fast.Rho);
        Assert.Equal(reference.Alpha, fast.Alpha);
    }
}
