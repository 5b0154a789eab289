using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>
/// The Winograd F(2 × 2, 3 × 3) path of <see cref="FoldedConvBlock"/> (<see cref="WinogradConvReluPool"/>) against a naive
/// double-precision convolution → ReLU → MaxPool2d(2) of the same folded weights, and against the block's direct path.
/// </summary>
public sealed class WinogradConvReluPoolTests
{
    /// <summary>A block c → o (3 × 3, padding 1) with a randomised batch norm folded in, and an input x ~ U(−1, 1) [c, h, w].</summary>
    internal static (FoldedConvBlock Block, float[] X) Case(int c, int o, int h, int w, int seed)
    {
        var rng = new NnRng(seed);
        var conv = new Conv2d(c, o, 3, 1, 1, rng: rng);
        var norm = new BatchNorm2d(o);
        FoldedConvStackTests.Randomise(norm, rng);
        return (new FoldedConvBlock(conv, norm), Tensor.Uniform(rng, -1f, 1f, c, h, w).ToArray());
    }

    /// <summary>max(0, max over the 2 × 2 window of b' + Σ W'·x) in double, and the window's largest Σ |b'| + |W'|·|x| (the scale
    /// of the rounding error of any evaluation order of that sum).</summary>
    internal static (double[] Y, double[] Scale) Naive(FoldedConvBlock block, float[] x, int h, int w)
    {
        int c = block.InChannels, o = block.OutChannels, poh = h / 2, pow = w / 2;
        var y = new double[o * poh * pow];
        var scale = new double[y.Length];
        for (int oc = 0; oc < o; oc++)
            for (int py = 0; py < poh; py++)
                for (int px = 0; px < pow; px++)
                {
                    double best = double.NegativeInfinity, sc = 0;
                    for (int a = 0; a < 2; a++)
                        for (int b = 0; b < 2; b++)
                        {
                            double s = block.Bias[oc], abs = Math.Abs(block.Bias[oc]);
                            for (int ci = 0; ci < c; ci++)
                                for (int i = 0; i < 3; i++)
                                    for (int j = 0; j < 3; j++)
                                    {
                                        int iy = 2 * py + a - 1 + i, ix = 2 * px + b - 1 + j;
                                        if ((uint)iy >= (uint)h || (uint)ix >= (uint)w) continue;
                                        double term = (double)block.Weight[((oc * c + ci) * 3 + i) * 3 + j] * x[(ci * h + iy) * w + ix];
                                        s += term;
                                        abs += Math.Abs(term);
                                    }
                            best = Math.Max(best, s);
                            sc = Math.Max(sc, abs);
                        }
                    y[(oc * poh + py) * pow + px] = Math.Max(0, best);
                    scale[(oc * poh + py) * pow + px] = sc;
                }
        return (y, scale);
    }

    /// <summary>Largest |a − b| / scale.</summary>
    internal static double MaxRelative(ReadOnlySpan<float> a, ReadOnlySpan<double> b, ReadOnlySpan<double> scale)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]) / scale[i]);
        return m;
    }

    // Float rounding bound: the direct path's FMA chain over K = 9·C terms has error ≤ K·ε·Σ|terms| in the worst case and about
    // √K·ε·Σ|terms| in practice (ε = 2⁻²⁴ ≈ 6e-8). Winograd adds the input transform (two roundings), the rounded U = G g Gᵀ and the
    // output transform (two more roundings): a few ulps of Σ|W'||x| per output more (the transforms' coefficients are 0, ±1 and
    // ±½, so no term grows by more than 9×). 2⁻¹⁸ ≈ 3.8e-6 of Σ |b'| + |W'||x| is well above what was observed (4e-8 to 7e-8
    // against the double sum on the small cases, ≤ 3.4e-7 against the direct path on the HFN shapes) and far below the effect of
    // a wrong or missing term (of the order of the scale itself).
    private const double Tolerance = 1.0 / (1 << 18);

    [Theory]
    [InlineData(16, 4, 10, 10)]     // smallest Winograd block, even sizes, fewer tiles per row than a vector (scalar tails)
    [InlineData(16, 32, 64, 150)]   // HFN conv2 at 2 s (64 × 150)
    [InlineData(32, 64, 32, 75)]    // HFN conv3: odd width (last column in no window, still read as a right neighbour)
    [InlineData(64, 64, 17, 37)]    // odd height and width, output channels a multiple of the tile
    [InlineData(19, 10, 23, 41)]    // channels not a multiple of anything, output channels not a multiple of the register tile
    [InlineData(17, 5, 3, 19)]       // a single tile row (3 rows: the last one read only as the bottom neighbour)
    public void Winograd_block_matches_a_double_precision_convolution_relu_and_pool(int c, int o, int h, int w)
    {
        if (!WinogradConvReluPool.IsSupported) return;   // no AVX2: the block runs the direct path (tested elsewhere)
        var (block, x) = Case(c, o, h, w, 31 + c + h);
        Assert.True(block.UsesWinograd);
        var (ph, pw) = block.OutputSize(h, w);
        var y = new float[o * ph * pw];
        block.Forward(x, h, w, y);
        var (expected, scale) = Naive(block, x, h, w);
        Assert.InRange(MaxRelative(y, expected, scale), 0, Tolerance);
    }

    [Theory]
    [InlineData(16, 32, 64, 150)]
    [InlineData(32, 64, 33, 76)]
    [InlineData(64, 64, 16, 37)]
    public void Winograd_block_matches_the_direct_implicit_gemm_path_to_float_rounding(int c, int o, int h, int w)
    {
        if (!WinogradConvReluPool.IsSupported) return;
        var (block, x) = Case(c, o, h, w, 47 + o);
        var (ph, pw) = block.OutputSize(h, w);
        var fast = new float[o * ph * pw];
        var direct = new float[fast.Length];
        block.Forward(x, h, w, fast);
        FoldedConvBlock.ForceDirect = true;
        try { block.Forward(x, h, w, direct); }
        finally { FoldedConvBlock.ForceDirect = false; }
        var (_, scale) = Naive(block, x, h, w);
        var d = Array.ConvertAll(direct, v => (double)v);
        // both are float roundings of the same exact sum (bounded above for Winograd; the direct path's 9·C-term FMA chain stays well
        // within √(9C)·ε·Σ|terms| ≈ 1.4e-6 for C = 64), so they agree to the same relative bound
        Assert.InRange(MaxRelative(fast, d, scale), 0, Tolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(24)]
    [InlineData(100)]
    [InlineData(1000)]
    public void Winograd_block_gives_bit_identical_outputs_for_every_band_size(int tiles)
    {
        if (!WinogradConvReluPool.IsSupported) return;
        var (block, x) = Case(19, 10, 23, 41, 5);
        var (ph, pw) = block.OutputSize(23, 41);
        var byRule = new float[10 * ph * pw];
        var forced = new float[byRule.Length];
        block.Forward(x, 23, 41, byRule);
        FoldedConvBlock.ForceBandTiles = tiles;
        try { block.Forward(x, 23, 41, forced); }
        finally { FoldedConvBlock.ForceBandTiles = null; }
        Assert.Equal(byRule, forced);
    }

    [Fact]
    public void Filter_transform_equals_g_times_filter_times_g_transposed()
    {
        // G g Gᵀ with G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1] (Lavin & Gray 2016, eq. 8) as an explicit matrix product
        float[] g = [0.3f, -1.2f, 0.7f, 2.0f, 0.1f, -0.4f, 1.5f, -0.9f, 0.25f];
        double[,] gm = { { 1, 0, 0 }, { 0.5, 0.5, 0.5 }, { 0.5, -0.5, 0.5 }, { 0, 0, 1 } };
        var u = new double[16];
        WinogradConvReluPool.FilterTransform(g, u);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                double e = 0;
                for (int a = 0; a < 3; a++)
                    for (int b = 0; b < 3; b++) e += gm[i, a] * g[a * 3 + b] * gm[j, b];
                Assert.Equal(e, u[i * 4 + j], 1e-12);   // a handful of double operations on values of order 1
            }
    }

    [Fact]
    public void Winograd_block_pools_a_nan_input_to_nan_in_the_windows_it_reaches()
    {
        if (!WinogradConvReluPool.IsSupported) return;
        var (block, x) = Case(16, 4, 12, 20, 9);
        x[(3 * 12 + 5) * 20 + 9] = float.NaN;   // channel 3, row 5, column 9: convolution outputs rows 4–6, columns 8–10
        var (ph, pw) = block.OutputSize(12, 20);
        var y = new float[4 * ph * pw];
        block.Forward(x, 12, 20, y);
        AssertNanExactlyWhere(y, 4, ph, pw, (py, px) => py is 2 or 3 && px is 4 or 5);   // pooled windows holding rows 4–6 and columns 8–10
    }

    /// <summary>Every output channel [channels × ph × pw] is NaN exactly at the pooled positions <paramref name="reached"/> picks.</summary>
    internal static void AssertNanExactlyWhere(float[] y, int channels, int ph, int pw, Func<int, int, bool> reached)
    {
        for (int oc = 0; oc < channels; oc++)
            for (int py = 0; py < ph; py++)
                for (int px = 0; px < pw; px++)
                    Assert.Equal(reached(py, px), float.IsNaN(y[(oc * ph + py) * pw + px]));
    }
}
