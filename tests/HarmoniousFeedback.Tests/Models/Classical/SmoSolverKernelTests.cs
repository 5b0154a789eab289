using HarmoniousFeedback.Models.Classical;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.Classical;

public class SmoSolverKernelTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(37)]
    public void Simd_gradient_update_matches_the_scalar_reference(int n)
    {
        var g = new SyntheticData.SplitMix64((ulong)n);
        var a = Enumerable.Range(0, n).Select(_ => (float)g.Normal()).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => (float)g.Normal()).ToArray();
        var start = Enumerable.Range(0, n).Select(_ => g.Normal()).ToArray();
        var fast = (double[])start.Clone();
        var fastOne = (double[])start.Clone();
        SmoSolver.AddScaled(fast, a, 0.3, b, -1.7);
        SmoSolver.AddScaled(fastOne, a, 2.5, null, 0);
        for (int k = 0; k < n; k++)
        {
            // Same operations in the same order (no fused multiply-add), so the results agree to the last bit.
            Assert.Equal(start[k] + (a[k] * 0.3 + b[k] * -1.7), fast[k], 1e-15);
            Assert.Equal(start[k] + a[k] * 2.5, fastOne[k], 1e-15);
        }
    }
}
