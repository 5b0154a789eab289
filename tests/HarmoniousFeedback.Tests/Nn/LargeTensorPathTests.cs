using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>
/// The chunked multi-core paths (used above ~2.6e5 elements) against plain scalar references, on tensors large
/// enough to take them. Parity and gradient checks use small tensors, which stay on the single-thread path.
/// </summary>
public sealed class LargeTensorPathTests
{
    [Fact]
    public void BatchNorm_training_matches_a_double_reference()
    {
        int n = 4, c = 3, hw = 150 * 150;
        var x = Tensor.Uniform(new NnRng(1), -2f, 3f, n, c, 150, 150).RequiresGrad_();
        var w = new Tensor([0.5f, 1.5f, -1f], 3).RequiresGrad_();
        var b = new Tensor([0.1f, 0f, -0.2f], 3).RequiresGrad_();
        var rm = Tensor.Zeros(3); var rv = Tensor.Ones(3);
        var y = F.BatchNorm(x, rm, rv, w, b, training: true);
        var g = Tensor.Uniform(new NnRng(2), -1f, 1f, n, c, 150, 150);
        y.Backward(g);
        var xd = x.Data.ToArray(); var gd = g.Data.ToArray();
        for (int ch = 0; ch < c; ch++)
        {
            double s = 0, q = 0; int m = n * hw;
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) s += xd[(i * c + ch) * hw + k];
            double mu = s / m;
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) { double d = xd[(i * c + ch) * hw + k] - mu; q += d * d; }
            double rs = 1 / Math.Sqrt(q / m + 1e-5);
            Assert.Equal(0.1 * mu, rm.Data[ch], 5);
            double sg = 0, sgx = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) { int o = (i * c + ch) * hw + k; sg += gd[o]; sgx += gd[o] * (xd[o] - mu) * rs; }
            Assert.Equal(sg, b.Grad!.Data[ch], 2);
            Assert.Equal(sgx, w.Grad!.Data[ch], 2);
            foreach (int o in new[] { (0 * c + ch) * hw + 7, (3 * c + ch) * hw + hw - 1, (2 * c + ch) * hw + 12345 })
            {
                double xh = (xd[o] - mu) * rs;
                Assert.Equal(xh * w.Data[ch] + b.Data[ch], y.Data[o], 4);
                double dx = w.Data[ch] * rs * (gd[o] - sg / m - xh * sgx / m);
                Assert.Equal(dx, x.Grad!.Data[o], 4);
            }
        }
    }

    [Fact]
    public void Relu_and_max_pool_match_scalar_references()
    {
        var x = Tensor.Uniform(new NnRng(3), -1f, 1f, 2, 6, 200, 220).RequiresGrad_();
        var r = x.Relu();
        var p = F.MaxPool2d(r, (2, 2), (2, 2), (0, 0));
        var g = Tensor.Uniform(new NnRng(4), -1f, 1f, p.Shape.ToArray());
        p.Backward(g);
        var xd = x.Data.ToArray();
        var dx = new float[xd.Length];
        for (int pl = 0; pl < 12; pl++)
            for (int oy = 0; oy < 100; oy++)
                for (int ox = 0; ox < 110; ox++)
                {
                    int best = -1; float bv = 0;
                    for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++)
                    {
                        int o = (pl * 200 + 2 * oy + i) * 220 + 2 * ox + j;
                        float v = Math.Max(xd[o], 0f);
                        if (best < 0 || v > bv) { bv = v; best = o; }
                    }
                    int po = (pl * 100 + oy) * 110 + ox;
                    Assert.Equal(bv, p.Data[po]);
                    if (xd[best] > 0) dx[best] += g.Data[po];
                }
        Assert.Equal(dx, x.Grad!.ToArray());
    }

    [Fact]
    public void MaxPool_2x2_backward_sends_ties_and_NaN_to_the_first_maximum_like_the_general_path()
    {
        // ties (many equal values) and NaNs; the 2×2/stride-2 path recomputes each window's arg-max in backward and
        // must pick the same element as the general (stored arg-max) path: first maximum, or the last NaN when there is one (PyTorch: val > max || isnan(val))
        var rng = new NnRng(9);
        var data = Enumerable.Range(0, 2 * 3 * 9 * 11).Select(_ => rng.Next(5) switch { 0 => float.NaN, 1 => 1f, _ => (float)rng.Next(3) }).ToArray();
        var g = Tensor.Uniform(new NnRng(10), -1f, 1f, 2, 3, 4, 5);
        var fast = new Tensor((float[])data.Clone(), 2, 3, 9, 11).RequiresGrad_();
        var yFast = F.MaxPool2d(fast, (2, 2), (2, 2), (0, 0));
        yFast.Backward(g);
        // scalar reference with the general path's rule (odd last row and column belong to no window)
        var dx = new float[data.Length];
        var y = new float[2 * 3 * 4 * 5];
        for (int pl = 0; pl < 6; pl++)
            for (int oy = 0; oy < 4; oy++)
                for (int ox = 0; ox < 5; ox++)
                {
                    int bi = -1; float best = float.NegativeInfinity;
                    for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++)
                    {
                        int o = (pl * 9 + 2 * oy + i) * 11 + 2 * ox + j;
                        float v = data[o];
                        if (bi < 0 || v > best || float.IsNaN(v)) { best = v; bi = o; }
                    }
                    int po = (pl * 4 + oy) * 5 + ox;
                    y[po] = best;
                    dx[bi] += g.Data[po];
                }
        Assert.Equal(y, yFast.ToArray());
        Assert.Equal(dx, fast.Grad!.ToArray());
    }

    [Fact]
    public void Sequential_fuses_BatchNorm_and_relu_with_identical_values_and_gradients()
    {
        (float[] Y, float[] DX, float[] DW, float[] DB, float[] RunVar) Run(bool fused)
        {
            var bn = new BatchNorm2d(4);
            new[] { 0.5f, 1.5f, -1f, 2f }.CopyTo(bn.Weight.Data);
            new[] { 0.1f, 0f, -0.2f, 0.3f }.CopyTo(bn.Bias.Data);
            var x = Tensor.Uniform(new NnRng(11), -2f, 2f, 8, 4, 40, 50).RequiresGrad_();
            Tensor y = fused ? new Sequential(bn, new ReLU()).Forward(x) : bn.Forward(x).Relu();
            y.Backward(Tensor.Uniform(new NnRng(12), -1f, 1f, y.Shape.ToArray()));
            return (y.ToArray(), x.Grad!.ToArray(), bn.Weight.Grad!.ToArray(), bn.Bias.Grad!.ToArray(), bn.RunningVar.ToArray());
        }
        var a = Run(fused: false);
        var b = Run(fused: true);
        Assert.Equal(a.Y, b.Y);
        Assert.Equal(a.DX, b.DX);
        Assert.Equal(a.DW, b.DW);
        Assert.Equal(a.DB, b.DB);
        Assert.Equal(a.RunVar, b.RunVar);
    }

    [Theory]
    [InlineData(true, 8, 4, 40, 50)]
    [InlineData(true, 3, 5, 33, 71)]     // odd height and width: last row/column dropped
    [InlineData(false, 4, 3, 20, 30)]    // eval: running statistics
    public void Fused_BatchNorm_relu_max_pool_matches_the_three_ops(bool training, int n, int c, int h, int w)
    {
        (float[] Y, float[] DX, float[] DW, float[] DB, float[] RunMean, float[] RunVar, float Tracked) Run(bool fused)
        {
            var bn = new BatchNorm2d(c);
            for (int i = 0; i < c; i++) { bn.Weight.Data[i] = 0.5f + 0.3f * i * (i % 2 == 0 ? 1 : -1); bn.Bias.Data[i] = 0.1f * i - 0.15f; }
            if (!training) { bn.RunningMean.Data.Fill(0.2f); bn.RunningVar.Data.Fill(1.7f); bn.Eval(); }
            var x = Tensor.Uniform(new NnRng(13), -2f, 2f, n, c, h, w).RequiresGrad_();
            Tensor y = fused ? new Sequential(bn, new ReLU(), new MaxPool2d(2)).Forward(x) : F.MaxPool2d(bn.Forward(x).Relu(), (2, 2), (2, 2), (0, 0));
            y.Backward(Tensor.Uniform(new NnRng(14), -1f, 1f, y.Shape.ToArray()));
            return (y.ToArray(), x.Grad!.ToArray(), bn.Weight.Grad!.ToArray(), bn.Bias.Grad!.ToArray(), bn.RunningMean.ToArray(), bn.RunningVar.ToArray(), bn.NumBatchesTracked.Data[0]);
        }
        var a = Run(fused: false);
        var b = Run(fused: true);
        Assert.Equal(a.Y, b.Y);                       // forward: bit-identical
        Assert.Equal(a.RunMean, b.RunMean);
        Assert.Equal(a.RunVar, b.RunVar);
        Assert.Equal(a.Tracked, b.Tracked);
        static void Close(float[] e, float[] g)
        {
            Assert.Equal(e.Length, g.Length);
            float scale = e.Max(v => Math.Abs(v));
            for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - g[i]) <= 1e-5f * scale + 1e-6f, $"element {i}: {e[i]} vs {g[i]}");
        }
        Close(a.DX, b.DX);                            // gradients: equal to float rounding
        Close(a.DW, b.DW);
        Close(a.DB, b.DB);
    }

    [Theory]
    [InlineData(1, 8, 3, 3, 1, 1)]   // the spectrogram first layer shape class (one image: output blocks over the threads)
    [InlineData(3, 4, 3, 3, 1, 0)]   // 27 taps, no padding
    [InlineData(2, 5, 1, 5, 0, 2)]   // Conv1d-like 1×k kernel
    public void Implicit_gemm_convolution_matches_im2col_gemm(int cin, int cout, int kh, int kw, int ph, int pw)
    {
        (float[] Y, float[] DX, float[] DW, float[] DB) Run(bool im2col)
        {
            var x = Tensor.Uniform(new NnRng(5), -1f, 1f, 1, cin, 120, 57).RequiresGrad_();
            var w = Tensor.Uniform(new NnRng(6), -1f, 1f, cout, cin, kh, kw).RequiresGrad_();
            var b = Tensor.Uniform(new NnRng(7), -1f, 1f, cout).RequiresGrad_();
            F.ForceConvAlgorithm = im2col ? ConvAlgorithm.Im2ColGemm : ConvAlgorithm.ImplicitGemm;
            try
            {
                var y = F.Conv2d(x, w, b, (1, 1), (ph, pw));
                y.Backward(Tensor.Uniform(new NnRng(8), -1f, 1f, y.Shape.ToArray()));
                return (y.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray());
            }
            finally { F.ForceConvAlgorithm = null; }
        }
        var d = Run(false); var r = Run(true);
        // different summation orders (FMA chains over taps vs GEMM blocks): agreement to float32 rounding of O(√K) terms
        void Near(float[] a, float[] e, string what)
        {
            Assert.Equal(e.Length, a.Length);
            for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - e[i]) <= 1e-4 * (1 + Math.Abs(e[i])), $"{what}[{i}]: implicit GEMM {a[i]} vs im2col {e[i]}");
        }
        Near(d.Y, r.Y, "y"); Near(d.DX, r.DX, "dx"); Near(d.DW, r.DW, "dW"); Near(d.DB, r.DB, "db");
    }
}
