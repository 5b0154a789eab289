using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn.Kernels;

/// <summary>
/// Every convolution algorithm (im2col + GEMM, implicit GEMM) against <see cref="ConvReference"/>'s direct loops in
/// double precision (PyTorch's definition), forward and both gradients.
/// </summary>
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
        new(1, 1, 13, 17, 5, 3, 3, 1, 1, 1, 1),   // batch 1, one input channel, rows (17 + 2) that fill no vector
        new(2, 5, 3, 5, 7, 3, 3, 1, 1, 1, 1),     // 7 output channels (tile rows 4/8 plus a tail), a 3×5 image
        new(3, 5, 6, 11, 9, 2, 2, 1, 1, 1, 1),    // C·kh·kw = 20 weight-gradient columns: blocks of 3 plus a tail of 2
        new(2, 4, 7, 9, 6, 2, 3, 1, 1, 1, 1),     // even kernel height: padding < kernel but not "same"
        new(1, 3, 9, 8, 4, 5, 5, 2, 2, 1, 1),     // 5×5 "same" padding
    };

    /// <summary>Every (geometry, algorithm) pair the algorithm supports on this machine.</summary>
    public static TheoryData<Conv2dGeometry, ConvAlgorithm> GeometriesByAlgorithm()
    {
        var data = new TheoryData<Conv2dGeometry, ConvAlgorithm>();
        foreach (Conv2dGeometry g in Geometries())
        {
            foreach (var a in Enum.GetValues<ConvAlgorithm>())
                if (ConvKernels.IsSupported(g, a)) data.Add(g, a);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(GeometriesByAlgorithm))]
    public void Forward_matches_the_reference_convolution(Conv2dGeometry g, ConvAlgorithm algorithm)
    {
        var (x, w, b) = Inputs(g);
        var y = new float[g.OutputSize];
        ConvKernels.Conv2dForward(g, x, w, b, y, algorithm);
        AssertClose(NaiveForward(g, x, w, b), y, g.PatchSize, "forward");

        ConvKernels.Conv2dForward(g, x, w, ReadOnlySpan<float>.Empty, y, algorithm);
        AssertClose(NaiveForward(g, x, w, null), y, g.PatchSize, "forward without bias");
    }

    [Theory]
    [MemberData(nameof(GeometriesByAlgorithm))]
    public void Backward_input_matches_the_reference(Conv2dGeometry g, ConvAlgorithm algorithm)
    {
        var (_, w, _) = Inputs(g);
        var dy = Random(g.OutputSize, 7);
        var expected = NaiveBackwardInput(g, dy, w);
        var dx = Random(g.InputSize, 8);   // garbage: must be overwritten
        ConvKernels.Conv2dBackwardInput(g, dy, w, dx, false, algorithm);
        AssertClose(expected, dx, g.OutChannels * g.KernelH * g.KernelW, "grad input");

        var old = Random(g.InputSize, 9);
        var acc = (float[])old.Clone();
        ConvKernels.Conv2dBackwardInput(g, dy, w, acc, true, algorithm);
        AssertClose(expected.Select((e, i) => e + old[i]).ToArray(), acc, g.OutChannels * g.KernelH * g.KernelW, "grad input accumulate");
    }

    [Theory]
    [MemberData(nameof(GeometriesByAlgorithm))]
    public void Backward_weight_and_bias_match_the_reference(Conv2dGeometry g, ConvAlgorithm algorithm)
    {
        var (x, _, _) = Inputs(g);
        var dy = Random(g.OutputSize, 7);
        var (ew, eb) = NaiveBackwardWeight(g, x, dy);
        int terms = g.Batch * g.OutH * g.OutW;
        var dw = Random(g.WeightSize, 10);
        var db = Random(g.OutChannels, 11);
        ConvKernels.Conv2dBackwardWeight(g, x, dy, dw, db, false, algorithm);
        AssertClose(ew, dw, terms, "grad weight");
        AssertClose(eb, db, terms, "grad bias");

        var oldW = Random(g.WeightSize, 12);
        var oldB = Random(g.OutChannels, 13);
        var aw = (float[])oldW.Clone();
        var ab = (float[])oldB.Clone();
        ConvKernels.Conv2dBackwardWeight(g, x, dy, aw, ab, true, algorithm);
        AssertClose(ew.Select((e, i) => e + oldW[i]).ToArray(), aw, terms, "grad weight accumulate");
        AssertClose(eb.Select((e, i) => e + oldB[i]).ToArray(), ab, terms, "grad bias accumulate");

        var dwOnly = new float[g.WeightSize];
        ConvKernels.Conv2dBackwardWeight(g, x, dy, dwOnly, Span<float>.Empty, false, algorithm);
        Assert.Equal(dw, dwOnly);
    }

    [Fact]
    public void Reference_convolution_matches_a_hand_computed_example()
    {
        // x = 1..9 on 3×3, w = [[1, 0], [0, −1]], bias 0.5, no padding: y[i, j] = x[i, j] − x[i + 1, j + 1] + 0.5 = −3.5
        var g = new Conv2dGeometry(1, 1, 3, 3, 1, 2, 2);
        var y = new float[4];
        ConvReference.Forward(g, [1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 0, 0, -1], [0.5f], y);
        Assert.Equal([-3.5f, -3.5f, -3.5f, -3.5f], y);
        // dy = 1 everywhere: dw[i, j] = Σ of the 2×2 block of x the tap reads, db = 4; dx counts the taps reading each x
        var dw = new float[4]; var db = new float[1];
        ConvReference.BackwardWeight(g, [1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 1, 1], dw, db);
        Assert.Equal([12f, 16f, 24f, 28f], dw);
        Assert.Equal([4f], db);
        var dx = new float[9];
        ConvReference.BackwardInput(g, [1, 1, 1, 1], [1, 0, 0, -1], dx);
        Assert.Equal([1f, 1f, 0f, 1f, 0f, -1f, 0f, -1f, -1f], dx);
    }

    [Theory]
    [MemberData(nameof(GeometriesByAlgorithm))]
    public void Algorithms_are_bit_identical_for_any_thread_count(Conv2dGeometry g, ConvAlgorithm algorithm)
    {
        var (x, w, b) = Inputs(g);
        var dy = Random(g.OutputSize, 5);
        (float[] Y, float[] Dx, float[] Dw, float[] Db) Run()
        {
            var y = new float[g.OutputSize];
            var dx = new float[g.InputSize];
            var dw = new float[g.WeightSize];
            var db = new float[g.OutChannels];
            ConvKernels.Conv2dForward(g, x, w, b, y, algorithm);
            ConvKernels.Conv2dBackwardInput(g, dy, w, dx, false, algorithm);
            ConvKernels.Conv2dBackwardWeight(g, x, dy, dw, db, false, algorithm);
            return (y, dx, dw, db);
        }
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            var one = Run();
            foreach (int t in new[] { 2, 3 })
            {
                Gemm.MaxThreads = t;
                var other = Run();
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

    // ---------------------------------------------------------------- the reference (PyTorch's definition, double)

    private static float[] NaiveForward(Conv2dGeometry g, float[] x, float[] w, float[]? b)
    {
        var y = new float[g.OutputSize];
        ConvReference.Forward(g, x, w, b ?? [], y);
        return y;
    }

    private static float[] NaiveBackwardInput(Conv2dGeometry g, float[] dy, float[] w)
    {
        var dx = new float[g.InputSize];
        ConvReference.BackwardInput(g, dy, w, dx);
        return dx;
    }

    private static (float[] Dw, float[] Db) NaiveBackwardWeight(Conv2dGeometry g, float[] x, float[] dy)
    {
        var dw = new float[g.WeightSize];
        var db = new float[g.OutChannels];
        ConvReference.BackwardWeight(g, x, dy, dw, db);
        return (dw, db);
    }

    private static (float[] X, float[] W, float[] B) Inputs(Conv2dGeometry g) =>
        (Random(g.InputSize, 1), Random(g.WeightSize, 2), Random(g.OutChannels, 3));

    /// <summary>
    /// Sums of <paramref name="terms"/> products of values in [−1, 1), in float32 with FMA chains or GEMM blocks: the
    /// rounding stays near 2⁻²⁴·√terms·|partial sums| (≈ 1e-5 for the largest case here); 1e-6·(1 + terms)·(1 + |expected|)
    /// is loose for rounding, tight for any indexing bug (a missed or doubled tap changes an output by ≈ 0.3).
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
