using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>
/// The one-input-channel register kernel of <see cref="FoldedConvBlock"/> (<see cref="SingleChannelConvReluPool"/>) against a
/// naive double-precision convolution → ReLU → MaxPool2d(2) and against the block's direct implicit-GEMM path.
/// </summary>
public sealed class SingleChannelConvReluPoolTests
{
    // Each output is b' + 9 fused multiply–adds: error ≤ 9·ε·(|b'| + Σ|W'||x|) with ε = 2⁻²⁴ (≈ 5.4e-7 of that sum); 2⁻²⁰ ≈ 9.5e-7
    // bounds it, far below the effect of a wrong or missing tap (of the order of the sum itself).
    private const double Tolerance = 1.0 / (1 << 20);

    [Theory]
    [InlineData(16, 128, 301)]   // the HFN encoder's first block on a 3 s log-mel (odd width: the last column is in no window)
    [InlineData(8, 128, 300)]    // the shipped model's first block
    [InlineData(5, 7, 9)]        // fewer pooled columns (4) than a vector: all by the scalar tail
    [InlineData(3, 2, 34)]       // one pooled row, 17 pooled columns: two vectors and a tail of one
    [InlineData(16, 33, 17)]     // odd height
    public void Single_channel_block_matches_a_double_precision_convolution_relu_and_pool(int o, int h, int w)
    {
        if (!SingleChannelConvReluPool.IsSupported) return;   // no AVX2/FMA: the block runs the direct path (tested elsewhere)
        var (block, x) = WinogradConvReluPoolTests.Case(1, o, h, w, 7 + o + h);
        Assert.True(block.UsesSingleChannelKernel);
        var (ph, pw) = block.OutputSize(h, w);
        var y = new float[o * ph * pw];
        block.Forward(x, h, w, y);
        var (expected, scale) = WinogradConvReluPoolTests.Naive(block, x, h, w);
        Assert.InRange(WinogradConvReluPoolTests.MaxRelative(y, expected, scale), 0, Tolerance);

        var direct = new float[y.Length];
        FoldedConvBlock.ForceDirect = true;
        try { block.Forward(x, h, w, direct); }
        finally { FoldedConvBlock.ForceDirect = false; }
        // the direct path is the same sum in another order: both within the bound of the exact value, so within twice it of each other
        Assert.InRange(WinogradConvReluPoolTests.MaxRelative(y, Array.ConvertAll(direct, v => (double)v), scale), 0, 2 * Tolerance);
    }

    [Fact]
    public void Single_channel_block_pools_a_nan_input_to_nan_in_the_windows_it_reaches_and_nowhere_else()
    {
        if (!SingleChannelConvReluPool.IsSupported) return;
        var (block, x) = WinogradConvReluPoolTests.Case(1, 4, 12, 40, 3);
        x[5 * 40 + 17] = float.NaN;   // row 5, column 17: convolution outputs rows 4–6, columns 16–18
        var (ph, pw) = block.OutputSize(12, 40);
        var y = new float[4 * ph * pw];
        block.Forward(x, 12, 40, y);
        WinogradConvReluPoolTests.AssertNanExactlyWhere(y, 4, ph, pw, (py, px) => py is 2 or 3 && px is 8 or 9);   // pooled windows holding rows 4–6 and columns 16–18
    }
}
