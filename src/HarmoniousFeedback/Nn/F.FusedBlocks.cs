using System.Buffers;
using System.Numerics.Tensors;
using HarmoniousFeedback.Nn.Kernels;

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
        if (UseSimdPool) Kernels.ParallelChunks.For(n * c, (long)h * w, (p0, pn) => Kernels.BnReluPoolSimd.Forward(xd, scale, shift, y, p0, pn, c, h, w, oh, ow));
        else Kernels.ParallelChunks.For(n * c, (long)h * w, (p0, pn) => BnReluPoolForward(xd, scale, shift, y, p0, pn, c, h, w, oh, ow));

        var parents = new List<Tensor> { x };
        if (weight is not null) parents.Add(weight);
        if (bias is not null) parents.Add(bias);
        return Tensor.Result(y, [n, c, oh, ow], "BatchNormReLUMaxPool2d", parents.ToArray(), g =>
        {
            // 1. per window: the element the gradient goes to (0–3, or none when ReLU blocks it), and per channel
            //    Σg and Σg·x over those elements (in double, fixed order: channel by channel, images in order)
            var sg = new double[c]; var sgx = new double[c];
            if (UseSimdPool)
            {
                Kernels.ParallelChunks.For(c, (long)n * h * w, (c0, cn) =>
                {
                    for (int ch = c0; ch < c0 + cn; ch++)
                    {
                        var (s1, s2) = Kernels.BnReluPoolSimd.SelectedSums(xd, y, g, ch, n, c, scale[ch], shift[ch], h, w, oh, ow);
                        sg[ch] = s1;
                        sgx[ch] = invStd[ch] * (s2 - mean[ch] * s1);
                    }
                });
                if (x.RequiresGrad)
                {
                    var dx = Tensor.Uninit(xd.Length);
                    Kernels.ParallelChunks.For(n * c, (long)h * w, (p0, pn) =>
                    {
                        for (int plane = p0; plane < p0 + pn; plane++)
                        {
                            int ch = plane % c;
                            var (alpha, beta, gamma) = BnBackwardCoefficients(weight, invStd, mean, sg, sgx, ch, n * h * w, training);
                            Kernels.BnReluPoolSimd.Scatter(xd, y, g, dx, plane, scale[ch], shift[ch], alpha, beta, gamma, h, w, oh, ow);
                        }
                    });
                    x.AccumulateGradOwned(dx);
                }
            }
            else
            {
                var sel = ArrayPool<byte>.Shared.Rent(y.Length);
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
                        var dx = Tensor.Uninit(xd.Length);
                        Kernels.ParallelChunks.For(n * c, (long)h * w, (p0, pn) =>
                        {
                            for (int plane = p0; plane < p0 + pn; plane++)
                            {
                                int ch = plane % c;
                                var (alpha, beta, gamma) = BnBackwardCoefficients(weight, invStd, mean, sg, sgx, ch, n * h * w, training);
                                BnReluPoolScatter(xd, g, sel, dx, plane, alpha, beta, gamma, h, w, oh, ow);
                            }
                        });
                        x.AccumulateGradOwned(dx);
                    }
                }
                finally { ArrayPool<byte>.Shared.Return(sel); }
            }
            if (weight is not null && weight.RequiresGrad) weight.AccumulateGrad(sgx.Select(v => (float)v).ToArray());
            if (bias is not null && bias.RequiresGrad) bias.AccumulateGrad(sg.Select(v => (float)v).ToArray());
            BufferPool.Return(g);
        });
    }

    /// <summary>
    /// <c>max_pool2d(relu(batch_norm(conv2d(x, W, b, stride 1, padding))), 2)</c> in one op (<see cref="Sequential"/> uses it
    /// for Conv2d → BatchNorm2d → ReLU → MaxPool2d(2) when <see cref="CanFuseConvBlock"/> holds: stride 1, "same" padding,
    /// AVX2). Same semantics as the separate ops (<see cref="Conv2d"/>, <see cref="BatchNorm"/> with its running-stat
    /// update, <see cref="Tensor.Relu"/>, <see cref="MaxPool2d"/>), two strategies:
    /// <list type="bullet">
    /// <item>few input taps (C·kh·kw ≤ <see cref="ConvBnReluPoolBlock.MaxTaps"/>, e.g. the 1-channel spectrogram into the
    /// first layer) and no gradient wanted for x: the convolution output — 16× the input for 16 channels — is never
    /// stored; each of four passes (batch moments, pooled output, the selected elements' gradient sums, the weight
    /// gradient) recomputes it per band of rows in cache (<see cref="ConvBnReluPoolBlock"/>). Batch statistics are
    /// summed row by row (float rounding differs from the separate ops'); gradients agree to float rounding;</item>
    /// <item>otherwise the convolution output is stored as usual, and the backward never writes the full-size dY: each
    /// image's dY = α·g·[selected] + β·y + γ is formed in cache (<see cref="BnPoolConvGradSource"/>) and consumed there
    /// by both convolution gradients (<see cref="ImplicitGemmConv.Backward"/>). Values and gradients are those of the
    /// separate ops bit for bit, except the convolution bias gradient (the same terms summed row by row).</item>
    /// </list>
    /// </summary>
    internal static Tensor Conv2dBatchNormReluMaxPool2x2(Tensor x, Tensor convWeight, Tensor? convBias, (int H, int W) padding,
        Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias, bool training, float momentum, float eps, Tensor? numBatchesTracked)
    {
        var geo = new Conv2dGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], convWeight.Shape[0], convWeight.Shape[2], convWeight.Shape[3], padding.H, padding.W);
        geo.Validate();
        if (UsesRecompute(x, geo))
            return ConvBlockRecompute(x, convWeight, convBias, geo, runningMean, runningVar, weight, bias, training, momentum, eps, numBatchesTracked);
        if (ImplicitGemmConv.SupportsFusedBackward(geo) && BnReluPoolSimd.IsSupported && geo.OutH >= 2 && geo.OutW >= 2)
            return ConvBlockStored(x, convWeight, convBias, geo, runningMean, runningVar, weight, bias, training, momentum, eps, numBatchesTracked);
        // shapes neither strategy covers: the separate ops
        var conv = Conv2d(x, convWeight, convBias, (1, 1), padding);
        return BatchNormReluMaxPool2x2(conv, runningMean, runningVar, weight, bias, training, momentum, eps, numBatchesTracked);
    }

    private static bool UsesRecompute(Tensor x, in Conv2dGeometry geo) => !x.RequiresGrad && ConvBnReluPoolBlock.Supports(geo);

    /// <summary>The stored-output strategy of <see cref="Conv2dBatchNormReluMaxPool2x2"/>.</summary>
    private static Tensor ConvBlockStored(Tensor x, Tensor convWeight, Tensor? convBias, Conv2dGeometry geo,
        Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias, bool training, float momentum, float eps, Tensor? numBatchesTracked)
    {
        var g0 = geo;
        int n = geo.Batch, o = geo.OutChannels, oh = geo.OutH, ow = geo.OutW, poh = oh / 2, pow = ow / 2, m = n * oh * ow;
        var prof = OpProfiler.Current;
        var clock = KernelClock.Start(prof);
        float[] xd = x._data, wd = convWeight._data;
        var yc = Tensor.Uninit(geo.OutputSize);
        ConvKernels.Conv2dForward(geo, xd, wd, convBias is null ? default : convBias._data, yc, ConvAlgorithm.ImplicitGemm);
        clock.Stop(prof, ConvLabel(geo), "forward", ConvFlop(geo));
        var (mean, invStd) = BatchNormStatistics(new Tensor(yc, [n, o, oh, ow]), runningMean, runningVar, training, momentum, eps, numBatchesTracked);
        var scale = new float[o]; var shift = new float[o];
        for (int ch = 0; ch < o; ch++)
        {
            float wv = weight?._data[ch] ?? 1f, bv = bias?._data[ch] ?? 0f, rs = invStd[ch];
            scale[ch] = rs * wv;                                   // exactly as BatchNorm's forward
            shift[ch] = (float)(bv - mean[ch] * rs * wv);
        }
        var y = Tensor.Uninit(n * o * poh * pow);
        Kernels.ParallelChunks.For(n * o, (long)oh * ow, (p0, pn) => BnReluPoolSimd.Forward(yc, scale, shift, y, p0, pn, o, oh, ow, poh, pow));
        var parents = new List<Tensor> { x, convWeight };
        if (convBias is not null) parents.Add(convBias);
        if (weight is not null) parents.Add(weight);
        if (bias is not null) parents.Add(bias);
        return Tensor.Result(y, [n, o, poh, pow], "Conv2dBatchNormReLUMaxPool2d", parents.ToArray(), g =>
        {
            var sg = new double[o]; var sgx = new double[o];
            Kernels.ParallelChunks.For(o, (long)n * oh * ow, (c0, cn) =>
            {
                for (int ch = c0; ch < c0 + cn; ch++)
                {
                    var (s1, s2) = BnReluPoolSimd.SelectedSums(yc, y, g, ch, n, o, scale[ch], shift[ch], oh, ow, poh, pow);
                    sg[ch] = s1;
                    sgx[ch] = invStd[ch] * (s2 - mean[ch] * s1);
                }
            });
            var alpha = new float[o]; var beta = new float[o]; var gamma = new float[o];
            for (int ch = 0; ch < o; ch++)
                (alpha[ch], beta[ch], gamma[ch]) = BnBackwardCoefficients(weight, invStd, mean, sg, sgx, ch, m, training);
            bool needW = convWeight.RequiresGrad, needB = convBias is not null && convBias.RequiresGrad, needX = x.RequiresGrad;
            var bprof = OpProfiler.Current;
            var bclock = KernelClock.Start(bprof);
            var dx = needX ? Tensor.Uninit(xd.Length) : null;
            var dW = needW || needB ? Tensor.Uninit(g0.WeightSize) : null;
            var db = needW || needB ? Tensor.Uninit(o) : null;
            var partial = needW || needB ? ArrayPool<float>.Shared.Rent(checked(n * (g0.WeightSize + o))) : null;
            try
            {
                unsafe
                {
                    fixed (float* xp = xd, wp = wd, ycp = yc, yp = y, gp = g, sp = scale, hp = shift, ap = alpha, bp = beta, cp = gamma,
                        dxp = dx, pp = partial, dwp = dW, dbp = db)
                    {
                        var source = new BnPoolConvGradSource(ycp, yp, gp, sp, hp, ap, bp, cp);
                        ImplicitGemmConv.Backward(g0, xp, wp, source, dxp, pp);
                        if (partial is not null) ConvKernels.ReducePartials(g0, pp, dwp, dbp, accumulate: false);
                    }
                }
            }
            finally { if (partial is not null) ArrayPool<float>.Shared.Return(partial); }
            bclock.Stop(bprof, ConvLabel(g0), needX && (needW || needB) ? "input+weight grad" : needX ? "input grad" : "weight grad",
                ConvFlop(g0) * ((needX ? 1 : 0) + (needW || needB ? 1 : 0)));
            if (needW) convWeight.AccumulateGradOwned(dW!);
            if (needB) convBias!.AccumulateGradOwned(db!);
            if (needX) x.AccumulateGradOwned(dx!);
            if (weight is not null && weight.RequiresGrad) weight.AccumulateGrad(sgx.Select(v => (float)v).ToArray());
            if (bias is not null && bias.RequiresGrad) bias.AccumulateGrad(sg.Select(v => (float)v).ToArray());
            BufferPool.Return(yc);   // the stored convolution output: nothing else references it
            BufferPool.Return(g);
        });
    }

    private static Tensor ConvBlockRecompute(Tensor x, Tensor convWeight, Tensor? convBias, Conv2dGeometry geo,
        Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias, bool training, float momentum, float eps, Tensor? numBatchesTracked)
    {
        int n = geo.Batch, o = geo.OutChannels;
        int oh = geo.OutH, ow = geo.OutW, m = n * oh * ow;
        var prof = OpProfiler.Current;
        var clock = KernelClock.Start(prof);
        var mean = new double[o];
        var invStd = new float[o];
        float[] xd = x._data, wd = convWeight._data, bd = convBias?._data ?? [];
        unsafe
        {
            fixed (float* xp = xd, wp = wd, bp = bd)
            {
                float* bptr = convBias is null ? null : bp;
                if (training)
                {
                    if (m <= 1) throw new ShapeMismatchException($"BatchNorm in training needs more than one value per channel, got convolution output [{n}, {o}, {oh}, {ow}]");
                    var (mu, vars) = ConvBnReluPoolBlock.Moments(geo, xp, wp, bptr);
                    for (int ch = 0; ch < o; ch++)
                    {
                        mean[ch] = mu[ch];
                        invStd[ch] = (float)(1.0 / Math.Sqrt(vars[ch] + eps));
                        runningMean._data[ch] = (float)((1 - momentum) * runningMean._data[ch] + momentum * mu[ch]);
                        runningVar._data[ch] = (float)((1 - momentum) * runningVar._data[ch] + momentum * vars[ch] * m / (m - 1));
                    }
                    if (numBatchesTracked is not null) numBatchesTracked._data[0] += 1;
                }
                else
                    for (int ch = 0; ch < o; ch++)
                    {
                        mean[ch] = runningMean._data[ch];
                        invStd[ch] = (float)(1.0 / Math.Sqrt(runningVar._data[ch] + (double)eps));
                    }
                var scale = new float[o]; var shift = new float[o];
                for (int ch = 0; ch < o; ch++)
                {
                    float wv = weight?._data[ch] ?? 1f, bv = bias?._data[ch] ?? 0f, rs = invStd[ch];
                    scale[ch] = rs * wv;                                   // exactly as BatchNorm's forward
                    shift[ch] = (float)(bv - mean[ch] * rs * wv);
                }
                var y = Tensor.Uninit(n * o * (oh / 2) * (ow / 2));
                fixed (float* sp = scale, hp = shift, yp = y) ConvBnReluPoolBlock.Forward(geo, xp, wp, bptr, sp, hp, yp);
                clock.Stop(prof, ConvLabel(geo), "forward+BN+pool, fused", ConvFlop(geo));

                var parents = new List<Tensor> { x, convWeight };
                if (convBias is not null) parents.Add(convBias);
                if (weight is not null) parents.Add(weight);
                if (bias is not null) parents.Add(bias);
                return Tensor.Result(y, [n, o, oh / 2, ow / 2], "Conv2dBatchNormReLUMaxPool2d", parents.ToArray(), g =>
                {
                    var bprof = OpProfiler.Current;
                    var bclock = KernelClock.Start(bprof);
                    var sgx = new double[o];
                    var alpha = new float[o]; var beta = new float[o]; var gamma = new float[o];
                    double[] sg;
                    fixed (float* xp2 = xd, wp2 = wd, bp2 = bd, sp = scale, hp = shift, yp = y, gp = g)
                    {
                        float* b2 = convBias is null ? null : bp2;
                        (sg, var sgy) = ConvBnReluPoolBlock.SelectedSums(geo, xp2, wp2, b2, sp, hp, yp, gp);
                        for (int ch = 0; ch < o; ch++)
                        {
                            sgx[ch] = invStd[ch] * (sgy[ch] - mean[ch] * sg[ch]);
                            (alpha[ch], beta[ch], gamma[ch]) = BnBackwardCoefficients(weight, invStd, mean, sg, sgx, ch, m, training);
                        }
                        bool needW = convWeight.RequiresGrad, needB = convBias is not null && convBias.RequiresGrad;
                        if (needW || needB)
                        {
                            int perImage = geo.WeightSize + o;
                            var partial = ArrayPool<float>.Shared.Rent(checked(n * perImage));
                            var dW = Tensor.Uninit(geo.WeightSize);
                            var db = Tensor.Uninit(o);
                            try
                            {
                                fixed (float* pp = partial, ap = alpha, bep = beta, gap = gamma, dwp = dW, dbp = db)
                                {
                                    ConvBnReluPoolBlock.BackwardWeightPartials(geo, xp2, wp2, b2, sp, hp, yp, gp, ap, bep, gap, pp);
                                    ConvKernels.ReducePartials(geo, pp, dwp, dbp, accumulate: false);
                                }
                            }
                            finally { ArrayPool<float>.Shared.Return(partial); }
                            if (needW) convWeight.AccumulateGradOwned(dW);
                            if (needB) convBias!.AccumulateGradOwned(db);
                        }
                    }
                    bclock.Stop(bprof, ConvLabel(geo), "weight grad+BN+pool, fused", ConvFlop(geo));
                    if (weight is not null && weight.RequiresGrad) weight.AccumulateGrad(sgx.Select(v => (float)v).ToArray());
                    if (bias is not null && bias.RequiresGrad) bias.AccumulateGrad(sg.Select(v => (float)v).ToArray());
                    BufferPool.Return(g);
                });
            }
        }
    }

    /// <summary>Whether <see cref="Conv2dBatchNormReluMaxPool2x2"/> handles this convolution on this input: stride 1,
    /// "same" padding, an output of at least 2 × 2, AVX2, and the implicit-GEMM path for the shape.</summary>
    internal static bool CanFuseConvBlock(Tensor x, Conv2d conv)
    {
        if (x.Rank != 4 || x.Shape[1] != conv.Weight.Shape[1] || conv.Stride != (1, 1) || !BnReluPoolSimd.IsSupported) return false;
        var geo = new Conv2dGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], conv.Weight.Shape[0],
            conv.Weight.Shape[2], conv.Weight.Shape[3], conv.Padding.H, conv.Padding.W);
        return ImplicitGemmConv.SupportsFusedBackward(geo) && geo.OutH >= 2 && geo.OutW >= 2 && ConvKernels.Choose(geo, ConvPass.Forward) == ConvAlgorithm.ImplicitGemm &&
            t_forceAlgorithm is null;
    }

    /// <summary>The vectorised block kernels (<see cref="Kernels.BnReluPoolSimd"/>) when AVX2 is there, unless a test
    /// asks for the scalar reference (<see cref="ForceScalarFusedPool"/>).</summary>
    private static bool UseSimdPool => Kernels.BnReluPoolSimd.IsSupported && !t_forceScalarPool;

    /// <summary>Test hook (per thread): run the fused BatchNorm → ReLU → MaxPool block on its scalar reference kernels.</summary>
    internal static bool ForceScalarFusedPool { get => t_forceScalarPool; set => t_forceScalarPool = value; }
    [ThreadStatic] private static bool t_forceScalarPool;

    /// <summary>BatchNorm's backward as dx = α·g + β·x + γ for channel <paramref name="ch"/> (training: through the
    /// batch statistics, over <paramref name="m"/> values per channel; eval: dx = w·rstd·g).</summary>
    private static (float Alpha, float Beta, float Gamma) BnBackwardCoefficients(Tensor? weight, float[] invStd, double[] mean,
        double[] sg, double[] sgx, int ch, int m, bool training)
    {
        float wv = weight?._data[ch] ?? 1f, rs = invStd[ch];
        float alpha = wv * rs, beta = 0f, gamma = 0f;
        if (training)
        {
            double a = sg[ch] / m, bx = sgx[ch] / m;
            beta = (float)(-wv * rs * rs * bx);
            gamma = (float)(wv * rs * (-a + rs * bx * mean[ch]));
        }
        return (alpha, beta, gamma);
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
