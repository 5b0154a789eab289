using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn.Kernels;

/// <summary>im2col/GEMM convolutions against direct-convolution loops in double precision (PyTorch's definition).</summary>
public class ConvKernelsTests
{
    public static TheoryData<Conv2dGeometry> Geometries() => new()
    {
        new(1, 1, 5, 7, 1, 3, 3, 1, 1, 1, 1),
        new(2, 3, 6, 6, 4, 3, 3, 1, 1, 1, 1),     // the conv2d_pad1_stride1 anchor's shape
        new(2, 3, 7, 7, 4, 3, 3, 1, 1, 2, 2),     // conv2d_pad1_stride2
        new(5, 2, 9, 11, 3, 5, 3, 2, 1, 2, 1),    // non-square kernel, mixed padding/stride, batch > threads
        new(3, 4, 8, 10, 6, 1, 1),                // pointwise: no im2col
        new(3, 4, 8, 10, 6, 1, 1, 0, 0, 2, 2),    // 1x1 with stride: im2col path
        new(4, 2, 10, 9, 3, 2, 2, 0, 0, 3, 3),    // stride larger than the kernel: skipped pixels get zero gradient
        new(2, 2, 4, 4, 2, 4, 4, 0, 0, 1, 1),     // kernel covers the whole image: 1x1 output
        new(2, 3, 3, 4, 2, 3, 3, 2, 2, 1, 1),     // padding wider than half the kernel
        new(3, 16, 12, 20, 32, 3, 3, 1, 1, 1, 1), // large enough for packed, threaded GEMMs
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_matches_direct_convolution(Conv2dGeometry g)
    {
        var (x, w, b) = Inputs(g);
        var y = new float[g.OutputSize];
        ConvKernels.Conv2dForward(g, x, w, b, y);
        AssertClose(NaiveForward(g, x, w, b), y, g.PatchSize, "forward");

        ConvKernels.Conv2dForward(g, x, w, ReadOnlySpan<float>.Empty, y);
        AssertClose(NaiveForward(g, x, w, null), y, g.PatchSize, "forward without bias");
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Backward_input_matches_direct_loops(Conv2dGeometry g)
    {
        var (_, w, _) = Inputs(g);
        var dy = Random(g.OutputSize, 7);
        var expected = NaiveBackwardInput(g, dy, w);
        var dx = Random(g.InputSize, 8);   // garbage: must be overwritten
        ConvKernels.Conv2dBackwardInput(g, dy, w, dx);
        AssertClose(expected, dx, g.OutChannels * g.KernelH * g.KernelW, "grad input");

        var old = Random(g.InputSize, 9);
        var acc = (float[])old.Clone();
        ConvKernels.Conv2dBackwardInput(g, dy, w, acc, accumulate: true);
        AssertClose(expected.Select((e, i) => e + old[i]).ToArray(), acc, g.OutChannels * g.KernelH * g.KernelW, "grad input accumulate");
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Backward_weight_and_bias_match_direct_loops(Conv2dGeometry g)
    {
        var (x, _, _) = Inputs(g);
        var dy = Random(g.OutputSize, 7);
        var (ew, eb) = NaiveBackwardWeight(g, x, dy);
        int terms = g.Batch * g.OutH * g.OutW;
        var dw = Random(g.WeightSize, 10);
        var db = Random(g.OutChannels, 11);
        ConvKernels.Conv2dBackwardWeight(g, x, dy, dw, db);
        AssertClose(ew, dw, terms, "grad weight");
        AssertClose(eb, db, terms, "grad bias");

        var oldW = Random(g.WeightSize, 12);
        var oldB = Random(g.OutChannels, 13);
        var aw = (float[])oldW.Clone();
        var ab = (float[])oldB.Clone();
        ConvKernels.Conv2dBackwardWeight(g, x, dy, aw, ab, accumulate: true);
        AssertClose(ew.Select((e, i) => e + oldW[i]).ToArray(), aw, terms, "grad weight accumulate");
        AssertClose(eb.Select((e, i) => e + oldB[i]).ToArray(), ab, terms, "grad bias accumulate");

        var dwOnly = new float[g.WeightSize];
        ConvKernels.Conv2dBackwardWeight(g, x, dy, dwOnly, Span<float>.Empty);
        Assert.Equal(dw, dwOnly);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2im_is_the_adjoint_of_im2col(Conv2dGeometry g)
    {
        // <im2col(v), u> = <v, col2im(u)> for random u, v (dot-product test of the adjoint), in double.
        int c = g.InChannels, h = g.Height, w = g.Width;
        var v = Random(c * h * w, 1);
        var u = Random(g.PatchSize * g.OutH * g.OutW, 2);
        var cols = new float[u.Length];
        ConvKernels.Im2Col(v, c, h, w, g.KernelH, g.KernelW, g.PadH, g.PadW, g.StrideH, g.StrideW, cols);
        var folded = new float[v.Length];
        ConvKernels.Col2Im(u, c, h, w, g.KernelH, g.KernelW, g.PadH, g.PadW, g.StrideH, g.StrideW, folded);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < u.Length; i++) lhs += (double)cols[i] * u[i];
        for (int i = 0; i < v.Length; i++) rhs += (double)v[i] * folded[i];
        Assert.True(Math.Abs(lhs - rhs) <= 1e-4 * (1 + Math.Abs(lhs)), $"<im2col v, u> = {lhs} but <v, col2im u> = {rhs}");
    }

    [Fact]
    public void Im2col_layout_matches_unfold_on_a_small_example()
    {
        // One channel 3x3 image 1..9, 2x2 kernel, pad 1, stride 2 → 2x2 output; unfold rows are kernel offsets (i, j).
        var x = new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        var cols = new float[4 * 4];
        ConvKernels.Im2Col(x, 1, 3, 3, 2, 2, 1, 1, 2, 2, cols);
        // torch.nn.functional.unfold(torch.arange(1., 10.).view(1, 1, 3, 3), 2, padding=1, stride=2)[0]
        Assert.Equal(new float[] { 0, 0, 0, 5, 0, 0, 4, 6, 0, 2, 0, 8, 1, 3, 7, 9 }, cols);
    }

    [Fact]
    public void Conv1d_matches_direct_convolution()
    {
        var g = Conv2dGeometry.Conv1d(batch: 3, inChannels: 4, length: 17, outChannels: 5, kernel: 3, pad: 1, stride: 2);
        var (x, w, b) = Inputs(g);
        var y = new float[g.OutputSize];
        ConvKernels.Conv1dForward(g, x, w, b, y);
        AssertClose(NaiveForward(g, x, w, b), y, g.PatchSize, "conv1d forward");
        var dy = Random(g.OutputSize, 3);
        var dx = new float[g.InputSize];
        ConvKernels.Conv1dBackwardInput(g, dy, w, dx);
        AssertClose(NaiveBackwardInput(g, dy, w), dx, 15, "conv1d grad input");
        var dw = new float[g.WeightSize];
        var db = new float[g.OutChannels];
        ConvKernels.Conv1dBackwardWeight(g, x, dy, dw, db);
        var (ew, eb) = NaiveBackwardWeight(g, x, dy);
        AssertClose(ew, dw, 30, "conv1d grad weight");
        AssertClose(eb, db, 30, "conv1d grad bias");
        Assert.Throws<ShapeMismatchException>(() => ConvKernels.Conv1dForward(new Conv2dGeometry(1, 1, 2, 5, 1, 1, 3), new float[10], new float[3], default, new float[6]));
    }

    [Fact]
    public void Results_are_bit_identical_for_any_thread_count()
    {
        var g = new Conv2dGeometry(6, 8, 16, 30, 16, 3, 3, 1, 1, 1, 1);
        var (x, w, b) = Inputs(g);
        var dy = Random(g.OutputSize, 5);
        (float[] Y, float[] Dx, float[] Dw, float[] Db) Run()
        {
            var y = new float[g.OutputSize];
            var dx = new float[g.InputSize];
            var dw = new float[g.WeightSize];
            var db = new float[g.OutChannels];
            ConvKernels.Conv2dForward(g, x, w, b, y);
            ConvKernels.Conv2dBackwardInput(g, dy, w, dx);
            ConvKernels.Conv2dBackwardWeight(g, x, dy, dw, db);
            return (y, dx, dw, db);
        }
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            var one = Run();
            Gemm.MaxThreads = 2;
            var two = Run();
            var twoAgain = Run();
            Gemm.MaxThreads = 4;
            var four = Run();
            foreach (var other in new[] { two, twoAgain, four })
            {
                Assert.Equal(one.Y, other.Y);
                Assert.Equal(one.Dx, other.Dx);
                Assert.Equal(one.Dw, other.Dw);
                Assert.Equal(one.Db, other.Db);
            }
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [Fact]
    public void Invalid_geometry_lists_every_problem_with_values()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => new Conv2dGeometry(0, 1, 5, 5, 1, 3, 3, -1, 0, 0, 1).Validate());
        Assert.Contains("Batch = 0", e.Message);
        Assert.Contains("PadH = -1", e.Message);
        Assert.Contains("StrideH = 0", e.Message);
        e = Assert.Throws<ShapeMismatchException>(() => new Conv2dGeometry(1, 1, 2, 2, 1, 5, 5).Validate());
        Assert.Contains("larger than the padded input", e.Message);
        var g = new Conv2dGeometry(2, 3, 6, 6, 4, 3, 3, 1, 1);
        e = Assert.Throws<ShapeMismatchException>(() => ConvKernels.Conv2dForward(g, new float[g.InputSize - 1], new float[g.WeightSize], default, new float[g.OutputSize]));
        Assert.Contains($"input has {g.InputSize - 1} elements", e.Message);
    }

    // ---------------------------------------------------------------- direct loops (PyTorch's definition), double

    private static float[] NaiveForward(Conv2dGeometry g, float[] x, float[] w, float[]? b)
    {
        var y = new float[g.OutputSize];
        for (int n = 0; n < g.Batch; n++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int oy = 0; oy < g.OutH; oy++)
                    for (int ox = 0; ox < g.OutW; ox++)
                    {
                        double s = b?[o] ?? 0;
                        ForEachTap(g, oy, ox, (c, i, j, iy, ix) => s += (double)w[WIdx(g, o, c, i, j)] * x[XIdx(g, n, c, iy, ix)]);
                        y[YIdx(g, n, o, oy, ox)] = (float)s;
                    }
        return y;
    }

    private static float[] NaiveBackwardInput(Conv2dGeometry g, float[] dy, float[] w)
    {
        var dx = new double[g.InputSize];
        for (int n = 0; n < g.Batch; n++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int oy = 0; oy < g.OutH; oy++)
                    for (int ox = 0; ox < g.OutW; ox++)
                    {
                        double d = dy[YIdx(g, n, o, oy, ox)];
                        ForEachTap(g, oy, ox, (c, i, j, iy, ix) => dx[XIdx(g, n, c, iy, ix)] += d * w[WIdx(g, o, c, i, j)]);
                    }
        return dx.Select(v => (float)v).ToArray();
    }

    private static (float[] Dw, float[] Db) NaiveBackwardWeight(Conv2dGeometry g, float[] x, float[] dy)
    {
        var dw = new double[g.WeightSize];
        var db = new double[g.OutChannels];
        for (int n = 0; n < g.Batch; n++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int oy = 0; oy < g.OutH; oy++)
                    for (int ox = 0; ox < g.OutW; ox++)
                    {
                        double d = dy[YIdx(g, n, o, oy, ox)];
                        db[o] += d;
                        ForEachTap(g, oy, ox, (c, i, j, iy, ix) => dw[WIdx(g, o, c, i, j)] += d * x[XIdx(g, n, c, iy, ix)]);
                    }
        return (dw.Select(v => (float)v).ToArray(), db.Select(v => (float)v).ToArray());
    }

    /// <summary>Visits the kernel taps of output pixel (oy, ox) that fall inside the image (padding is zero).</summary>
    private static void ForEachTap(Conv2dGeometry g, int oy, int ox, Action<int, int, int, int, int> f)
    {
        for (int c = 0; c < g.InChannels; c++)
            for (int i = 0; i < g.KernelH; i++)
                for (int j = 0; j < g.KernelW; j++)
                {
                    int iy = oy * g.StrideH - g.PadH + i, ix = ox * g.StrideW - g.PadW + j;
                    if (iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width) f(c, i, j, iy, ix);
                }
    }

    private static int XIdx(Conv2dGeometry g, int n, int c, int y, int x) => ((n * g.InChannels + c) * g.Height + y) * g.Width + x;
    private static int WIdx(Conv2dGeometry g, int o, int c, int i, int j) => ((o * g.InChannels + c) * g.KernelH + i) * g.KernelW + j;
    private static int YIdx(Conv2dGeometry g, int n, int o, int y, int x) => ((n * g.OutChannels + o) * g.OutH + y) * g.OutW + x;

    private static (float[] X, float[] W, float[] B) Inputs(Conv2dGeometry g) =>
        (Random(g.InputSize, 1), Random(g.WeightSize, 2), Random(g.OutChannels, 3));

    /// <summary>
    /// Sums of <paramref name="terms"/> products of values in [−1, 1): float32 rounding stays near 2⁻²⁴·√terms·|partial sums|
    /// (≈ 1e-5 for the largest case here); 1e-6·(1 + terms)·(1 + |expected|) is loose for rounding, tight for any indexing bug.
    /// </summary>
    private static void AssertClose(float[] expected, float[] actual, int terms, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double tol = 1e-6 * (1 + terms);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i]))))
                Assert.Fail($"{what}: element {i} expected {expected[i]} got {actual[i]} (tol {tol:G3})");
    }

    private static float[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
