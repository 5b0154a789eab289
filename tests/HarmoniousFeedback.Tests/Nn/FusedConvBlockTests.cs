using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>
/// The fused few-tap Conv2d → BatchNorm2d → ReLU → MaxPool2d(2) block (<see cref="F.Conv2dBatchNormReluMaxPool2x2"/>)
/// against the four separate ops (each checked against PyTorch and finite differences elsewhere).
/// </summary>
public sealed class FusedConvBlockTests
{
    private sealed record Outputs(float[] Y, float[] RunMean, float[] RunVar, float[] ConvDw, float[] ConvDb, float[] BnDw, float[] BnDb);

    private static Outputs Run(bool fused, bool training, int n, int c, int o, int h, int w, int kh, int kw, int ph, int pw)
    {
        var x = Tensor.Uniform(new Random(21), -1f, 1f, n, c, h, w);
        var cw = Tensor.Uniform(new Random(22), -0.5f, 0.5f, o, c, kh, kw).RequiresGrad_();
        var cb = Tensor.Uniform(new Random(23), -0.2f, 0.2f, o).RequiresGrad_();
        var bw = Tensor.Uniform(new Random(24), 0.5f, 1.5f, o).RequiresGrad_();
        var bb = Tensor.Uniform(new Random(25), -0.3f, 0.3f, o).RequiresGrad_();
        var rm = Tensor.Uniform(new Random(26), -0.1f, 0.1f, o);
        var rv = Tensor.Uniform(new Random(27), 0.5f, 1.5f, o);
        var tracked = Tensor.Scalar(0);
        Tensor y = fused
            ? F.Conv2dBatchNormReluMaxPool2x2(x, cw, cb, (ph, pw), rm, rv, bw, bb, training, 0.1f, 1e-5f, tracked)
            : F.MaxPool2d(F.BatchNorm(F.Conv2d(x, cw, cb, (1, 1), (ph, pw)), rm, rv, bw, bb, training, 0.1f, 1e-5f, tracked).Relu(), (2, 2), (2, 2), (0, 0));
        y.Backward(Tensor.Uniform(new Random(28), -1f, 1f, y.Shape.ToArray()));
        return new(y.ToArray(), rm.ToArray(), rv.ToArray(), cw.Grad!.ToArray(), cb.Grad!.ToArray(), bw.Grad!.ToArray(), bb.Grad!.ToArray());
    }

    [Theory]
    [InlineData(true, 4, 1, 16, 20, 33, 3, 3, 1, 1)]   // the spectrogram first layer, odd width (last column in no window)
    [InlineData(true, 3, 1, 8, 17, 24, 3, 3, 1, 1)]    // odd height (last row in no window)
    [InlineData(true, 1, 1, 5, 12, 40, 3, 3, 1, 1)]    // batch 1, output channels not a multiple of the tile
    [InlineData(true, 2, 3, 6, 14, 15, 3, 3, 0, 0)]    // 27 taps, no padding
    [InlineData(true, 2, 2, 4, 9, 26, 1, 5, 0, 2)]     // 1×5 kernel
    [InlineData(false, 3, 1, 8, 16, 30, 3, 3, 1, 1)]   // eval: running statistics
    public void Fused_conv_block_matches_the_four_separate_ops(bool training, int n, int c, int o, int h, int w, int kh, int kw, int ph, int pw)
    {
        Assert.True(ConvBnReluPoolBlock.Supports(new Conv2dGeometry(n, c, h, w, o, kh, kw, ph, pw)) || !System.Runtime.Intrinsics.X86.Avx2.IsSupported);
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return;   // the block needs AVX2; Sequential then uses the separate ops
        var e = Run(false, training, n, c, o, h, w, kh, kw, ph, pw);
        var a = Run(true, training, n, c, o, h, w, kh, kw, ph, pw);
        // The convolution values are the same (implicit GEMM in both); the batch moments are summed per row instead of
        // per plane, so scale/shift can differ in the last float bit: outputs agree to a few float32 ulps.
        Near(e.Y, a.Y, 1e-5, "pooled output");
        Near(e.RunMean, a.RunMean, 1e-6, "running mean");
        Near(e.RunVar, a.RunVar, 1e-6, "running var");
        // Gradients are sums over up to n·h·w terms in a different order: float32 rounding relative to their size.
        Near(e.ConvDw, a.ConvDw, 1e-4, "conv weight grad");
        // In training the conv bias gradient is Σ dY = 0 in exact arithmetic (BatchNorm removes the batch mean): both are
        // rounding noise of a sum of n·OH·OW terms of size ≈ 1, so they are compared with a floor of 1e-6 per term.
        Near(e.ConvDb, a.ConvDb, 1e-4, "conv bias grad", floor: training ? 1e-6 * n * h * w : 0);
        Near(e.BnDw, a.BnDw, 1e-4, "BatchNorm weight grad");
        Near(e.BnDb, a.BnDb, 1e-4, "BatchNorm bias grad");
    }

    [Fact]
    public void Fused_conv_block_is_bit_identical_for_any_thread_count()
    {
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            var one = Run(true, true, 6, 1, 16, 24, 40, 3, 3, 1, 1);
            Gemm.MaxThreads = 2;
            var two = Run(true, true, 6, 1, 16, 24, 40, 3, 3, 1, 1);
            Gemm.MaxThreads = 3;
            var three = Run(true, true, 6, 1, 16, 24, 40, 3, 3, 1, 1);
            foreach (var other in new[] { two, three })
            {
                Assert.Equal(one.Y, other.Y);
                Assert.Equal(one.ConvDw, other.ConvDw);
                Assert.Equal(one.ConvDb, other.ConvDb);
                Assert.Equal(one.BnDw, other.BnDw);
                Assert.Equal(one.BnDb, other.BnDb);
            }
        }
        finally { Gemm.MaxThreads = saved; }
    }

    [Fact]
    public void Sequential_fuses_a_first_conv_block_only_when_its_input_needs_no_gradient()
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return;
        var rng = new Random(3);
        var net = new Sequential(new Conv2d(1, 8, 3, 1, 1, rng: rng), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 8, 3, 1, 1, rng: rng), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2));
        string[] Ops(bool inputGrad)
        {
            var x = Tensor.Uniform(new Random(4), -1f, 1f, 2, 1, 16, 24);
            if (inputGrad) x.RequiresGrad_();
            using var prof = OpProfiler.Start();
            net.Forward(x).Sum().Backward();
            return prof.Rows().Select(r => r.Op).ToArray();
        }
        var data = Ops(inputGrad: false);
        Assert.Contains("Conv2dBatchNormReLUMaxPool2d", data);          // first block fused
        Assert.Contains("Conv2d", data);                                // second block: 8·9 = 72 taps, separate convolution
        var withGrad = Ops(inputGrad: true);
        Assert.DoesNotContain("Conv2dBatchNormReLUMaxPool2d", withGrad);  // dL/dx needed: the separate ops
    }

    [Theory]
    [InlineData(3, 4, 10, 38)]   // 19 windows per row: two 8-window vector steps and 3 scalar ones
    [InlineData(2, 3, 7, 17)]    // odd height and width, 8 windows per row: one vector step only
    [InlineData(1, 2, 4, 6)]     // 3 windows per row: scalar windows only
    public void Vectorised_batchnorm_relu_maxpool_block_matches_its_scalar_reference(int n, int c, int h, int w)
    {
        if (!BnReluPoolSimd.IsSupported) return;
        // special values the window rules must treat exactly like the scalar code: NaN (propagates through the ReLU and
        // the maxima, and receives no gradient), −0 and +0 (ReLU gives +0), exact ties (the first maximum wins)
        float[] special = [float.NaN, -0f, 0f, 0.25f, 0.25f, -1f];
        var data = Tensor.Uniform(new Random(31), -2f, 2f, n, c, h, w).ToArray();
        var rng = new Random(32);
        for (int i = 0; i < data.Length; i += 1 + rng.Next(6)) data[i] = special[rng.Next(special.Length)];
        (float[] Y, float[] Dx, float[] Dw, float[] Db) Run(bool scalar)
        {
            var x = new Tensor((float[])data.Clone(), n, c, h, w).RequiresGrad_();
            var bw = Tensor.Uniform(new Random(33), 0.5f, 1.5f, c).RequiresGrad_();
            var bb = Tensor.Uniform(new Random(34), -0.3f, 0.3f, c).RequiresGrad_();
            F.ForceScalarFusedPool = scalar;
            try
            {
                // eval mode: the running statistics stay finite although the batch holds NaN
                var y = F.BatchNormReluMaxPool2x2(x, Tensor.Zeros(c), Tensor.Ones(c), bw, bb, training: false);
                y.Backward(Tensor.Uniform(new Random(35), -1f, 1f, y.Shape.ToArray()));
                return (y.ToArray(), x.Grad!.ToArray(), bw.Grad!.ToArray(), bb.Grad!.ToArray());
            }
            finally { F.ForceScalarFusedPool = false; }
        }
        var e = Run(scalar: true);
        var a = Run(scalar: false);
        Assert.Equal(e.Y.Select(BitConverter.SingleToInt32Bits), a.Y.Select(BitConverter.SingleToInt32Bits));  // bit for bit, NaN and signed zeros included
        Assert.Equal(e.Dx, a.Dx);             // eval: dx = α·g at the selected element, β = γ = 0 — no sums involved
        // Σg and Σg·x̂ over the selected elements (never NaN: a window whose maximum is NaN sends no gradient) are
        // summed in a different order (4 double lanes vs one running double): agreement to double rounding, far below 1e-5
        Near(e.Db, a.Db, 1e-5, "BatchNorm bias grad");
        Near(e.Dw, a.Dw, 1e-5, "BatchNorm weight grad");
    }

    private static void Near(float[] e, float[] a, double rel, string what, double floor = 0)
    {
        Assert.Equal(e.Length, a.Length);
        double scale = e.Length == 0 ? 0 : e.Max(v => Math.Abs((double)v));
        double tol = Math.Max(rel * (scale + 1e-3), floor);
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tol, $"{what}[{i}]: separate ops {e[i]} vs fused {a[i]} (tolerance {tol:G3}: {rel} × max |value| {scale:G4}, floor {floor:G3})");
    }
}
