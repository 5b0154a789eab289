using System.Buffers;
using System.Numerics.Tensors;

namespace HarmoniousFeedback.Nn;

public static partial class F
{
    /// <summary>
    /// <c>max_pool2d(relu(batch_norm(x)), 2)</c> on [N, C, H, W] in one op — the block every layer of a spectrogram CNN
    /// ends with (<see cref="Sequential"/> uses it for a BatchNorm2d → ReLU → MaxPool2d(2) run). The normalised
    /// activation z = max(x·(rstd·w) + (b − μ·rstd·w), 0) is never stored: forward writes only the pooled output,
    /// backward recomputes z for each 2 × 2 window to find the element its gradient goes to. Values are bit-identical to
    /// the three ops; gradients agree to float rounding (per-channel sums are taken over the window maxima only, in a
    /// different order). Same statistics, running-stat update and window rules as <see cref="BatchNorm"/>,
    /// <see cref="Tensor.Relu"/> and <see cref="MaxPool2d"/> (first maximum; the last NaN when there is one; an odd
    /// last row or column is dropped).
    /// </summary>
    public static Tensor BatchNormReluMaxPool2x2(Tensor x, Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum = 0.1f, float eps = 1e-5f, Tensor? numBatchesTracked = null)
    {
        if (x.Rank != 4) throw new ShapeMismatchException($"batch_norm → relu → max_pool2d(2) expects [N, C, H, W], got {Tensor.ShapeString(x.Shape)}");
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3], oh = h / 2, ow = w / 2;
        if (oh == 0 || ow == 0) throw new ShapeMismatchException($"max_pool2d(2): input {h}×{w} too small for kernel 2×2");
        var (mean, invStd) = BatchNormStatistics(x, runningMean, runningVar, training, momentum, eps, numBatchesTracked);
        var scale = new float[c]; var shift = new float[c];
        for (int ch = 0; ch < c; ch++)
        {
            float wv = weight?._data[ch] ?? 1f, bv = bias?._data[ch] ?? 0f, rs = invStd[ch];
            scale[ch] = rs * wv;                                   // exactly as BatchNorm's forward
            shift[ch] = (float)(bv - mean[ch] * rs * wv);
        }
        var xd = x._data;
        var y = Tensor.Uninit(n * c * oh * ow);
        Kernels.ParallelChunks.For(n * c, (long)h * w, (p0, pn) => BnReluPoolForward(xd, scale, shift, y, p0, pn, c, h, w, oh, ow));

        var parents = new List<Tensor> { x };
        if (weight is not null) parents.Add(weight);
        if (bias is not null) parents.Add(bias);
        return Tensor.Result(y, [n, c, oh, ow], "BatchNormReLUMaxPool2d", parents.ToArray(), g =>
        {
            // 1. per window: the element the gradient goes to (0–3, or 255 when ReLU blocks it), and per channel
            //    Σg and Σg·x over those elements (in double, fixed order: channel by channel, images in order)
            var sel = ArrayPool<byte>.Shared.Rent(y.Length);
            var sg = new double[c]; var sgx = new double[c];
            try
            {
                Kernels.ParallelChunks.For(c, (long)n * h * w, (c0, cn) =>
                {
                    var rows = ArrayPool<float>.Shared.Rent(4 * ow);
                    try
                    {
                        for (int ch = c0; ch < c0 + cn; ch++)
                        {
                            double s1 = 0, s2 = 0;
                            for (int b = 0; b < n; b++)
                                BnReluPoolSelect(xd, y, g, sel, b * c + ch, scale[ch], shift[ch], h, w, oh, ow,
                                    rows.AsSpan(0, 2 * ow), rows.AsSpan(2 * ow, 2 * ow), ref s1, ref s2);
                            sg[ch] = s1;
                            sgx[ch] = invStd[ch] * (s2 - mean[ch] * s1);
                        }
                    }
                    finally { ArrayPool<float>.Shared.Return(rows); }
                });
                // 2. dx = α·g + β·x + γ per channel (BatchNorm's backward; g is zero off the selected elements)
                if (x.RequiresGrad)
                {
                    int m = n * h * w;
                    var dx = Tensor.Uninit(xd.Length);
                    Kernels.ParallelChunks.For(n * c, (long)h * w, (p0, pn) =>
                    {
                        for (int plane = p0; plane < p0 + pn; plane++)
                        {
                            int ch = plane % c;
                            float wv = weight?._data[ch] ?? 1f, rs = invStd[ch];
                            float alpha = wv * rs, beta = 0f, gamma = 0f;
                            if (training)
                            {
                                double a = sg[ch] / m, bx = sgx[ch] / m;
                                beta = (float)(-wv * rs * rs * bx);
                                gamma = (float)(wv * rs * (-a + rs * bx * mean[ch]));
                            }
                            BnReluPoolScatter(xd, g, sel, dx, plane, alpha, beta, gamma, h, w, oh, ow);
                        }
                    });
                    x.AccumulateGradOwned(dx);
                }
            }
            finally { ArrayPool<byte>.Shared.Return(sel); }
            if (weight is not null && weight.RequiresGrad) weight.AccumulateGrad(sgx.Select(v => (float)v).ToArray());
            if (bias is not null && bias.RequiresGrad) bias.AccumulateGrad(sg.Select(v => (float)v).ToArray());
            BufferPool.Return(g);
        });
    }

    /// <summary>Pooled output for planes [p0, p0 + pn): z rows as BatchNorm → ReLU computes them, then the 2 × 2 maxima.</summary>
    private static void BnReluPoolForward(float[] xd, float[] scale, float[] shift, float[] y, int p0, int pn, int c, int h, int w, int oh, int ow)
    {
        var buf = ArrayPool<float>.Shared.Rent(4 * ow);
        try
        {
            var z0 = buf.AsSpan(0, 2 * ow); var z1 = buf.AsSpan(2 * ow, 2 * ow);
            for (int plane = p0; plane < p0 + pn; plane++)
            {
                int ch = plane % c;
                float sc = scale[ch], sh = shift[ch];
                for (int oy = 0; oy < oh; oy++)
                {
                    int r0 = (plane * h + 2 * oy) * w, o = (plane * oh + oy) * ow;
                    Normalize(xd.AsSpan(r0, 2 * ow), sc, sh, z0);
                    Normalize(xd.AsSpan(r0 + w, 2 * ow), sc, sh, z1);
                    TensorPrimitives.Max(z0, z1, z0);
                    for (int ox = 0; ox < ow; ox++)
                    {
                        float a = z0[2 * ox], b = z0[2 * ox + 1];
                        y[o + ox] = b > a || float.IsNaN(b) ? b : a;
                    }
                }
            }
        }
        finally { ArrayPool<float>.Shared.Return(buf); }
    }

    /// <summary>z = relu(x·scale + shift), BatchNorm's and ReLU's vector ops in their order (same rounding).</summary>
    private static void Normalize(ReadOnlySpan<float> x, float sc, float sh, Span<float> z)
    {
        TensorPrimitives.Multiply(x, sc, z);
        TensorPrimitives.Add(z, sh, z);
        TensorPrimitives.Max(z, 0f, z);
    }

    /// <summary>For one plane: which element of each window receives the window's gradient (ReLU passes it only where
    /// z &gt; 0), written to <paramref name="sel"/>, and the plane's Σg and Σg·x over those elements. The z rows are
    /// recomputed exactly as the forward did (same vector ops), so the first element equal to the stored maximum is
    /// the forward's arg-max; the 4-way choice is branch-free (random data would make a branch unpredictable).</summary>
    private static void BnReluPoolSelect(float[] xd, float[] y, float[] g, byte[] sel, int plane, float sc, float sh,
        int h, int w, int oh, int ow, Span<float> z0, Span<float> z1, ref double s1, ref double s2)
    {
        for (int oy = 0; oy < oh; oy++)
        {
            int r0 = (plane * h + 2 * oy) * w, o = (plane * oh + oy) * ow;
            Normalize(xd.AsSpan(r0, 2 * ow), sc, sh, z0);
            Normalize(xd.AsSpan(r0 + w, 2 * ow), sc, sh, z1);
            var yr = y.AsSpan(o, ow); var gr = g.AsSpan(o, ow); var sr = sel.AsSpan(o, ow);
            for (int ox = 0; ox < yr.Length; ox++)
            {
                // the selected element's activation is the window maximum m; ReLU passes its gradient only where its
                // output is > 0, so windows with m = 0 (all inputs clipped) or NaN send nothing
                float m = yr[ox];
                if (!(m > 0f)) { sr[ox] = 255; continue; }
                int na = z0[2 * ox] == m ? 0 : 1, nb = z0[2 * ox + 1] == m ? 0 : 1, nc = z1[2 * ox] == m ? 0 : 1;
                int k = na * (1 + nb * (1 + nc));     // 0 if a, else 1 if b, else 2 if c, else 3
                sr[ox] = (byte)k;
                float gv = gr[ox];
                s1 += gv;
                s2 += (double)gv * xd[r0 + 2 * ox + (k & 1) + (k >> 1) * w];
            }
        }
    }

    /// <summary>dx for one plane: β·x + γ everywhere, plus α·g at each window's selected element.</summary>
    private static void BnReluPoolScatter(float[] xd, float[] g, byte[] sel, float[] dx, int plane, float alpha, float beta, float gamma,
        int h, int w, int oh, int ow)
    {
        var xs = xd.AsSpan(plane * h * w, h * w); var ds = dx.AsSpan(plane * h * w, h * w);
        TensorPrimitives.Multiply(xs, beta, ds);
        TensorPrimitives.Add(ds, gamma, ds);
        for (int oy = 0; oy < oh; oy++)
        {
            int r0 = (plane * h + 2 * oy) * w, o = (plane * oh + oy) * ow;
            for (int ox = 0; ox < ow; ox++)
            {
                int k = sel[o + ox];
                if (k == 255) continue;
                int idx = r0 + 2 * ox + (k & 1) + (k >> 1) * w;
                dx[idx] += alpha * g[o + ox];
            }
        }
    }
}
