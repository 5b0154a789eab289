using HarmoniousFeedback.Models.Classical;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.Classical;

public class SimdDotTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(40)]
    [InlineData(67)]
    public void Simd_dot_matches_the_scalar_reference(int n)
    {
        var g = new SyntheticData.SplitMix64((ulong)(100 + n));
        var x = Enumerable.Range(0, n).Select(_ => g.Normal()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => g.Normal()).ToArray();
        // Different summation order (4 lanes × 4 accumulators): agreement to rounding, relative to Σ|xᵢyᵢ|.
        double scale = x.Zip(y, (a, b) => Math.Abs(a * b)).Sum();
        Assert.Equal(SimdDot.Reference(x, y), SimdDot.Dot(x, y), 1e-14 * scale);
    }

    [Theory]
    [InlineData(16, 9)]
    [InlineData(40, 13)]
    [InlineData(67, 4)]
    [InlineData(64, 3)]
    public void Blocked_row_dots_are_bit_identical_to_dot(int n, int rows)
    {
        var g = new SyntheticData.SplitMix64((ulong)(200 + n));
        var x = Enumerable.Range(0, n).Select(_ => g.Normal()).ToArray();
        var m = Enumerable.Range(0, n * rows).Select(_ => g.Normal() * 1e3).ToArray();
        var dst = new double[rows];
        SimdDot.DotRows(x, m, dst);
        for (int r = 0; r < rows; r++) Assert.Equal(SimdDot.Dot(x, m.AsSpan(r * n, n)), dst[r]);
    }

    [Theory]
    [InlineData(1, 40, 0, 40)]
    [InlineData(8, 53, 3, 37)]
    [InlineData(15, 21, 20, 1)]
    public void Column_dots_are_bit_identical_to_the_short_dot(int n, int stride, int from, int count)
    {
        var g = new SyntheticData.SplitMix64((ulong)(300 + n));
        var x = Enumerable.Range(0, n).Select(_ => g.Normal()).ToArray();
        var rowMajor = Enumerable.Range(0, n * stride).Select(_ => g.Normal() * 1e3).ToArray();
        var xt = new double[n * stride];
        for (int r = 0; r < stride; r++)
            for (int k = 0; k < n; k++) xt[k * stride + r] = rowMajor[r * n + k];
        var dst = new double[count];
        SimdDot.DotColumns(x, xt, stride, from, dst);
        for (int j = 0; j < count; j++) Assert.Equal(SimdDot.Dot(x, rowMajor.AsSpan((from + j) * n, n)), dst[j]);
    }
}
