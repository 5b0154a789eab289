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
    private sealed record Outputs(float[] Y, float[] RunMean, float[] RunVar, float[] ConvDw, float[] ConvDb, float[] BnDw, float[] BnDb, float[]? Dx);

    /// <summary>fused: the conv block op; otherwise Conv2d followed by the three ops (<paramref name="bnPoolOp"/> false) or
    /// by the fused BatchNorm → ReLU → MaxPool op (true).</summary>
    private static Outputs Run(bool fused, bool training, int n, int c, int o, int h, int w, int kh, int kw, int ph, int pw, bool inputGrad = false, bool bnPoolOp = false)
    {
        var x = Tensor.Uniform(new NnRng(21), -1f, 1f, n, c, h, w);
        if (inputGrad) x.RequiresGrad_();
        var cw = Tensor.Uniform(new NnRng(22), -0.5f, 0.5f, o, c, kh, kw).RequiresGrad_();
        var cb = Tensor.Uniform(new NnRng(23), -0.2f, 0.2f, o).RequiresGrad_();
        var bw = Tensor.Uniform(new NnRng(24), 0.5f, 1.5f, o).RequiresGrad_();
        var bb = Tensor.Uniform(new NnRng(25), -0.3f, 0.3f, o).RequiresGrad_();
        var rm = Tensor.Uniform(new NnRng(26), -0.1f, 0.1f, o);
        var rv = Tensor.Uniform(new NnRng(27), 0.5f, 1.5f, o);
        var tracked = Tensor.Scalar(0);
        Tensor y = fused
            ? F.Conv2dBatchNormReluMaxPool2x2(x, cw, cb, (ph, pw), rm, rv, bw, bb, training, 0.1f, 1e-5f, tracked)
            : bnPoolOp
                ? F.BatchNormReluMaxPool2x2(F.Conv2d(x, cw, cb, (1, 1), (ph, pw)), rm, rv, bw, bb, training, 0.1f, 1e-5f, tracked)
                : F.MaxPool2d(F.BatchNorm(F.Conv2d(x, cw, cb, (1, 1), (ph, pw)), rm, rv, bw, bb, training, 0.1f, 1e-5f, tracked).Relu(), (2, 2), (2, 2), (0, 0));
        y.Backward(Tensor.Uniform(new NnRng(28), -1f, 1f, y.Shape.ToArray()));
        return new(y.ToArray(), rm.ToArray(), rv.ToArray(), cw.Grad!.ToArray(), cb.Grad!.ToArray(), bw.Grad!.ToArray(), bb.Grad!.ToArray(), x.Grad?.ToArray());
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

    [Theory]
    [InlineData(true, 4, 16, 32, 10, 33)]    // HFN-like 16→32 layer, odd width
    [InlineData(true, 2, 8, 8, 9, 16)]       // odd height
    [InlineData(true, 3, 4, 12, 6, 10)]      // 3 images over 2 threads
    [InlineData(false, 4, 8, 16, 8, 12)]     // eval: running statistics
    public void Fused_conv_block_with_stored_output_equals_the_separate_ops_bit_for_bit(bool training, int n, int c, int o, int h, int w)
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return;
        // x needs a gradient, so the block stores the convolution output; its backward forms each image's dY in cache
        // and feeds both convolution gradients from it: the same arithmetic as Conv2d followed by the fused
        // BatchNorm → ReLU → MaxPool op, bit for bit
        var e = Run(false, training, n, c, o, h, w, 3, 3, 1, 1, inputGrad: true, bnPoolOp: true);
        var a = Run(true, training, n, c, o, h, w, 3, 3, 1, 1, inputGrad: true);
        Assert.Equal(e.Y, a.Y);
        Assert.Equal(e.RunMean, a.RunMean);
        Assert.Equal(e.RunVar, a.RunVar);
        Assert.Equal(e.Dx, a.Dx);
        Assert.Equal(e.ConvDw, a.ConvDw);
        Assert.Equal(e.BnDw, a.BnDw);
        Assert.Equal(e.BnDb, a.BnDb);
        Assert.Equal(e.ConvDb, a.ConvDb);
    }

    [Fact]
    public void Conv2d_backward_in_one_pass_per_image_equals_the_two_separate_passes()
    {
        // batch 4 on 2 threads: F.Conv2d forms dX and dW from one padded copy of each image's dY
        var g = new Conv2dGeometry(4, 6, 11, 19, 10, 3, 3, 1, 1);
        var x = Tensor.Uniform(new NnRng(41), -1f, 1f, 4, 6, 11, 19).RequiresGrad_();
        var w = Tensor.Uniform(new NnRng(42), -1f, 1f, 10, 6, 3, 3).RequiresGrad_();
        var b = Tensor.Uniform(new NnRng(43), -1f, 1f, 10).RequiresGrad_();
        var dy = Tensor.Uniform(new NnRng(44), -1f, 1f, 4, 10, 11, 19);
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 2;
            F.Conv2d(x, w, b, (1, 1), (1, 1)).Backward(dy);
        }
        finally { Gemm.MaxThreads = saved; }
        var dx = new float[g.InputSize]; var dw = new float[g.WeightSize]; var db = new float[g.OutChannels];
        ConvKernels.Conv2dBackwardInput(g, dy.Data, w.Data, dx, false, ConvAlgorithm.ImplicitGemm);
        ConvKernels.Conv2dBackwardWeight(g, x.Data, dy.Data, dw, db, false, ConvAlgorithm.ImplicitGemm);
        Assert.Equal(dx, x.Grad!.ToArray());
        Assert.Equal(dw, w.Grad!.ToArray());
        Assert.Equal(db, b.Grad!.ToArray());
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
    public void Sequential_fuses_conv_blocks_whether_or_not_the_input_needs_a_gradient()
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return;
        var rng = new NnRng(3);
        var net = new Sequential(new Conv2d(1, 8, 3, 1, 1, rng: rng), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 8, 3, 1, 1, rng: rng), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2));
        (long FusedCalls, bool SeparateConv, string[] Passes) Ops(bool inputGrad)
        {
            var x = Tensor.Uniform(new NnRng(4), -1f, 1f, 2, 1, 16, 24);
            if (inputGrad) x.RequiresGrad_();
            using var prof = OpProfiler.Start();
            net.Forward(x).Sum().Backward();
            var rows = prof.Rows();
            return (rows.FirstOrDefault(r => r.Op == "Conv2dBatchNormReLUMaxPool2d")?.Calls ?? 0, rows.Any(r => r.Op == "Conv2d"),
                prof.KernelRows().Where(k => k.Pass.StartsWith("forward", StringComparison.Ordinal)).Select(k => k.Pass).ToArray());
        }
        var data = Ops(inputGrad: false);
        Assert.Equal(2, data.FusedCalls);                               // both blocks fused, no separate convolution
        Assert.False(data.SeparateConv);
        Assert.Equal(["forward+BN+pool, fused", "forward"], data.Passes);  // 9 taps, no dL/dx: recomputed; 72 taps: stored
        var withGrad = Ops(inputGrad: true);
        Assert.Equal(2, withGrad.FusedCalls);
        Assert.Equal(["forward", "forward"], withGrad.Passes);           // dL/dx needed: the first block stores its output too
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
