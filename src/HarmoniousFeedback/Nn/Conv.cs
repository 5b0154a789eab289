using System.Numerics.Tensors;
using HarmoniousFeedback.Nn.Export;
using HarmoniousFeedback.Nn.Kernels;

namespace HarmoniousFeedback.Nn;

public static partial class F
{
    /// <summary>
    /// 2-D cross-correlation (PyTorch <c>F.conv2d</c>, zero padding, no kernel flip): x [N, C, H, W], weight
    /// [O, C, kh, kw], bias [O] → y [N, O, OH, OW], OH = ⌊(H + 2ph − kh)/sh⌋ + 1. Computed per image as
    /// im2col + one GEMM W[O, C·kh·kw]·col[C·kh·kw, OH·OW]; backward: dW = Σₙ dY[n]·col[n]ᵀ (per-image partials summed
    /// in image order), dcol = Wᵀ·dY folded back — see <see cref="ConvKernels"/>, which spreads whole images over the
    /// threads. A single image through a stride-1 layer with at most <see cref="DirectConv.MaxTaps"/> taps (C·kh·kw)
    /// uses the direct SIMD kernel, which splits output planes over the threads instead (measured faster there, slower
    /// for batches: 1→16 channels 3×3 on 32 × 64 × 300, forward + backward 36 ms direct vs 20 ms batched im2col).
    /// </summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding)
    {
        if (x.Rank != 4 || weight.Rank != 4 || x.Shape[1] != weight.Shape[1])
            throw new ShapeMismatchException($"conv2d expects x [N, C, H, W] and weight [O, C, kh, kw] with equal C, got x {Tensor.ShapeString(x.Shape)}, weight {Tensor.ShapeString(weight.Shape)}");
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int o = weight.Shape[0], kh = weight.Shape[2], kw = weight.Shape[3];
        int sh = stride.H, sw = stride.W, ph = padding.H, pw = padding.W;
        int oh = (h + 2 * ph - kh) / sh + 1, ow = (w + 2 * pw - kw) / sw + 1;
        if (oh <= 0 || ow <= 0) throw new ShapeMismatchException($"conv2d: input {h}×{w} with padding ({ph},{pw}) is smaller than the kernel {kh}×{kw}");
        if (bias is not null && bias.Count != o) throw new ShapeMismatchException($"conv2d bias has {bias.Count} entries for {o} output channels");
        int ckk = c * kh * kw;
        // one image cannot be spread over the cores by ConvKernels; the direct kernel splits its output planes instead
        if (n == 1 && sh == 1 && sw == 1 && ckk <= DirectConv.MaxTaps && !ForceIm2Col)
            return Conv2dDirect(x, weight, bias, n, c, h, w, o, kh, kw, ph, pw, oh, ow);
        var geo = new Conv2dGeometry(n, c, h, w, o, kh, kw, ph, pw, sh, sw);
        var y = Tensor.Uninit(geo.OutputSize);
        float[] xd = x._data, wd = weight._data;
        ConvKernels.Conv2dForward(geo, xd, wd, bias is null ? default : bias._data, y);
        Tensor[] parents = bias is null ? [x, weight] : [x, weight, bias];
        return Tensor.Result(y, [n, o, oh, ow], "Conv2d", parents, g =>
        {
            bool needW = weight.RequiresGrad, needB = bias is not null && bias.RequiresGrad;
            if (needW || needB)
            {
                // one pass forms both gradients; one that is not needed is dropped
                var dW = Tensor.Uninit(wd.Length);
                var db = bias is null ? null : Tensor.Uninit(o);
                ConvKernels.Conv2dBackwardWeight(geo, xd, g, dW, db);
                if (needW) weight.AccumulateGradOwned(dW);
                if (needB) bias!.AccumulateGradOwned(db!);
            }
            if (x.RequiresGrad)
            {
                var dX = Tensor.Uninit(xd.Length);
                ConvKernels.Conv2dBackwardInput(geo, g, wd, dX);
                x.AccumulateGradOwned(dX);
            }
            BufferPool.Return(g);  // this node's own gradient buffer, fully consumed
        });
    }

    /// <summary>Test hook (per thread): route convolutions through im2col + GEMM to compare against the direct path.</summary>
    internal static bool ForceIm2Col { get => t_forceIm2Col; set => t_forceIm2Col = value; }
    [ThreadStatic] private static bool t_forceIm2Col;

    private static Tensor Conv2dDirect(Tensor x, Tensor weight, Tensor? bias, int n, int c, int h, int w, int o, int kh, int kw, int ph, int pw, int oh, int ow)
    {
        var y = Tensor.Uninit(n * o * oh * ow);
        DirectConv.Forward(x._data, weight._data, bias?._data, y, n, c, h, w, o, kh, kw, ph, pw, oh, ow);
        Tensor[] parents = bias is null ? [x, weight] : [x, weight, bias];
        return Tensor.Result(y, [n, o, oh, ow], "Conv2d", parents, g =>
        {
            bool needW = weight.RequiresGrad, needB = bias is not null && bias.RequiresGrad;
            if (needW || needB)
            {
                var dW = needW ? Tensor.Uninit(weight.Count) : null;
                var db = needB ? Tensor.Uninit(o) : null;
                DirectConv.BackwardWeights(x._data, g, dW, db, n, c, h, w, o, kh, kw, ph, pw, oh, ow);
                if (dW is not null) weight.AccumulateGradOwned(dW);
                if (db is not null) bias!.AccumulateGradOwned(db);
            }
            if (x.RequiresGrad)
            {
                var dX = Tensor.Uninit(x.Count);
                DirectConv.BackwardInput(weight._data, g, dX, n, c, h, w, o, kh, kw, ph, pw, oh, ow);
                x.AccumulateGradOwned(dX);
            }
            BufferPool.Return(g);
        });
    }

    /// <summary>1-D cross-correlation on [N, C, L] with weight [O, C, k] (PyTorch <c>F.conv1d</c>), as a conv2d with H = 1.</summary>
    public static Tensor Conv1d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0)
    {
        if (x.Rank != 3 || weight.Rank != 3) throw new ShapeMismatchException($"conv1d expects x [N, C, L] and weight [O, C, k], got {Tensor.ShapeString(x.Shape)} and {Tensor.ShapeString(weight.Shape)}");
        var y = Conv2d(x.Unsqueeze(2), weight.Unsqueeze(2), bias, (1, stride), (0, padding));
        return y.Squeeze(2);
    }

    /// <summary>
    /// Max pooling on [N, C, H, W] (PyTorch <c>F.max_pool2d</c>, floor mode): padding counts as −∞; the gradient
    /// goes to each window's first maximum, overlapping windows add up.
    /// </summary>
    public static Tensor MaxPool2d(Tensor x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
    {
        Pool4(x, "max_pool2d", kernel, stride, padding, out int n, out int c, out int h, out int w, out int oh, out int ow);
        var y = Tensor.Uninit(n * c * oh * ow);
        var xd = x._data;
        if (kernel == (2, 2) && stride == (2, 2) && padding == (0, 0))
        {
            // no argmax array: windows do not overlap, so backward finds each window's maximum again from x
            MaxPool2x2(xd, n * c, h, w, oh, ow, y);
            return Tensor.Result(y, [n, c, oh, ow], "MaxPool2d", [x], g =>
            {
                var dx = Tensor.Uninit(xd.Length);
                Kernels.ParallelChunks.For(n * c, (long)h * w, (p0, pn) => MaxPool2x2Backward(xd, y, g, dx, p0, pn, h, w, oh, ow));
                x.AccumulateGradOwned(dx);
                BufferPool.Return(g);
            });
        }
        var arg = GC.AllocateUninitializedArray<int>(y.Length);
        for (int pl = 0; pl < n * c; pl++)
        {
            int baseIn = pl * h * w, baseOut = pl * oh * ow;
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    float best = float.NegativeInfinity; int bi = -1;
                    for (int i = 0; i < kernel.H; i++)
                    {
                        int iy = oy * stride.H - padding.H + i;
                        if ((uint)iy >= (uint)h) continue;
                        for (int j = 0; j < kernel.W; j++)
                        {
                            int ix = ox * stride.W - padding.W + j;
                            if ((uint)ix >= (uint)w) continue;
                            float v = xd[baseIn + iy * w + ix];
                            if (bi < 0 || v > best || float.IsNaN(v)) { best = v; bi = baseIn + iy * w + ix; }
                        }
                    }
                    y[baseOut + oy * ow + ox] = best; arg[baseOut + oy * ow + ox] = bi;
                }
        }
        return Tensor.Result(y, [n, c, oh, ow], "MaxPool2d", [x], g =>
        {
            var dx = new float[xd.Length];
            for (int i = 0; i < g.Length; i++) dx[arg[i]] += g[i];
            x.AccumulateGradOwned(dx);
        });
    }

    /// <summary>
    /// Backward of the 2×2/stride-2 pool for planes [p0, p0 + pn): each window's first maximum (the forward's rule)
    /// receives its output gradient, every other element of dx — including an odd last row/column no window
    /// covers — is written 0, so dx needs no clearing beforehand. The maximum is known (the forward output y), so the
    /// first element equal to it (or, when y is NaN, the last NaN — PyTorch's <c>val &gt; max || isnan(val)</c> rule) is
    /// found with branch-free selects: random data makes a 4-way arg-max branch unpredictable.
    /// </summary>
    private static void MaxPool2x2Backward(float[] xd, float[] yd, float[] g, float[] dx, int p0, int pn, int h, int w, int oh, int ow)
    {
        for (int pl = p0; pl < p0 + pn; pl++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                int r0 = (pl * h + 2 * oy) * w, r1 = r0 + w, o = (pl * oh + oy) * ow;
                var x0 = xd.AsSpan(r0, 2 * ow); var x1 = xd.AsSpan(r1, 2 * ow);
                var d0 = dx.AsSpan(r0, 2 * ow); var d1 = dx.AsSpan(r1, 2 * ow);
                var yr = yd.AsSpan(o, ow); var gr = g.AsSpan(o, ow);
                for (int ox = 0; ox < yr.Length; ox++)
                {
                    float m = yr[ox], gv = gr[ox];
                    float a = x0[2 * ox], b = x0[2 * ox + 1], c = x1[2 * ox], d = x1[2 * ox + 1];
                    bool ma, mb, mc;
                    if (float.IsNaN(m))
                    {
                        // the forward's rule lets every NaN replace the running maximum: the last NaN wins
                        bool nd = float.IsNaN(d), nc = !nd && float.IsNaN(c), nb = !nd && !nc && float.IsNaN(b);
                        ma = !nd && !nc && !nb; mb = nb; mc = nc;
                    }
                    else { ma = a == m; mb = b == m; mc = c == m; }
                    d0[2 * ox] = ma ? gv : 0f;
                    d0[2 * ox + 1] = !ma & mb ? gv : 0f;
                    d1[2 * ox] = !ma & !mb & mc ? gv : 0f;
                    d1[2 * ox + 1] = !ma & !mb & !mc ? gv : 0f;
                }
                if (2 * ow < w) { dx[r0 + w - 1] = 0f; dx[r1 + w - 1] = 0f; }
            }
            if (2 * oh < h) Array.Clear(dx, (pl * h + h - 1) * w, w);
        }
    }

    /// <summary>The common 2×2/stride-2 case without window bookkeeping (same first-maximum rule).</summary>
    private static void MaxPool2x2(float[] xd, int planes, int h, int w, int oh, int ow, float[] y)
        => Kernels.ParallelChunks.For(planes, (long)h * w, (p0, pn) => MaxPool2x2Planes(xd, p0, pn, h, w, oh, ow, y));

    private static void MaxPool2x2Planes(float[] xd, int p0, int pn, int h, int w, int oh, int ow, float[] y)
    {
        // vertical maximum of the two rows (SIMD, NaN-propagating like the window rule), then adjacent pairs
        var rowMax = System.Buffers.ArrayPool<float>.Shared.Rent(2 * ow);
        try
        {
            var m = rowMax.AsSpan(0, 2 * ow);
            for (int pl = p0; pl < p0 + pn; pl++)
                for (int oy = 0; oy < oh; oy++)
                {
                    int r0 = (pl * h + 2 * oy) * w, o = (pl * oh + oy) * ow;
                    TensorPrimitives.Max(xd.AsSpan(r0, 2 * ow), xd.AsSpan(r0 + w, 2 * ow), m);
                    for (int ox = 0; ox < ow; ox++)
                    {
                        float a = m[2 * ox], b = m[2 * ox + 1];
                        y[o + ox] = b > a || float.IsNaN(b) ? b : a;
                    }
                }
        }
        finally { System.Buffers.ArrayPool<float>.Shared.Return(rowMax); }
    }

    /// <summary>Average pooling on [N, C, H, W] (PyTorch <c>F.avg_pool2d</c>, count_include_pad = true, floor mode).</summary>
    public static Tensor AvgPool2d(Tensor x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
    {
        Pool4(x, "avg_pool2d", kernel, stride, padding, out int n, out int c, out int h, out int w, out int oh, out int ow);
        float inv = 1f / (kernel.H * kernel.W);
        var y = new float[n * c * oh * ow];
        var xd = x._data;
        void Windows(Action<int, int> visit) // (outIndex, inIndex)
        {
            for (int pl = 0; pl < n * c; pl++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                        for (int i = 0; i < kernel.H; i++)
                        {
                            int iy = oy * stride.H - padding.H + i;
                            if ((uint)iy >= (uint)h) continue;
                            for (int j = 0; j < kernel.W; j++)
                            {
                                int ix = ox * stride.W - padding.W + j;
                                if ((uint)ix < (uint)w) visit((pl * oh + oy) * ow + ox, (pl * h + iy) * w + ix);
                            }
                        }
        }
        Windows((oi, ii) => y[oi] += xd[ii] * inv);
        return Tensor.Result(y, [n, c, oh, ow], "AvgPool2d", [x], g =>
        {
            var dx = new float[xd.Length];
            Windows((oi, ii) => dx[ii] += g[oi] * inv);
            x.AccumulateGrad(dx);
        });
    }

    /// <summary>
    /// Adaptive average pooling to (OH, OW) (PyTorch <c>F.adaptive_avg_pool2d</c>): output cell i averages rows
    /// ⌊i·H/OH⌋ … ⌈(i+1)·H/OH⌉ − 1 (likewise columns); bins may overlap.
    /// </summary>
    public static Tensor AdaptiveAvgPool2d(Tensor x, (int H, int W) outputSize)
    {
        if (x.Rank != 4) throw new ShapeMismatchException($"adaptive_avg_pool2d expects [N, C, H, W], got {Tensor.ShapeString(x.Shape)}");
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3], oh = outputSize.H, ow = outputSize.W;
        var y = new float[n * c * oh * ow];
        var xd = x._data;
        static int Start(int i, int inn, int outn) => i * inn / outn;
        static int End(int i, int inn, int outn) => ((i + 1) * inn + outn - 1) / outn;
        for (int pl = 0; pl < n * c; pl++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    int y0 = Start(oy, h, oh), y1 = End(oy, h, oh), x0 = Start(ox, w, ow), x1 = End(ox, w, ow);
                    double s = 0;
                    for (int iy = y0; iy < y1; iy++) for (int ix = x0; ix < x1; ix++) s += xd[(pl * h + iy) * w + ix];
                    y[(pl * oh + oy) * ow + ox] = (float)(s / ((y1 - y0) * (x1 - x0)));
                }
        return Tensor.Result(y, [n, c, oh, ow], "AdaptiveAvgPool2d", [x], g =>
        {
            var dx = new float[xd.Length];
            for (int pl = 0; pl < n * c; pl++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        int y0 = Start(oy, h, oh), y1 = End(oy, h, oh), x0 = Start(ox, w, ow), x1 = End(ox, w, ow);
                        float v = g[(pl * oh + oy) * ow + ox] / ((y1 - y0) * (x1 - x0));
                        for (int iy = y0; iy < y1; iy++) for (int ix = x0; ix < x1; ix++) dx[(pl * h + iy) * w + ix] += v;
                    }
            x.AccumulateGrad(dx);
        });
    }

    private static void Pool4(Tensor x, string op, (int H, int W) k, (int H, int W) s, (int H, int W) p, out int n, out int c, out int h, out int w, out int oh, out int ow)
    {
        if (x.Rank != 4) throw new ShapeMismatchException($"{op} expects [N, C, H, W], got {Tensor.ShapeString(x.Shape)}");
        if (p.H * 2 > k.H || p.W * 2 > k.W) throw new ArgumentOutOfRangeException(nameof(p), $"{op}: padding ({p.H},{p.W}) must be at most half the kernel ({k.H},{k.W})");
        n = x.Shape[0]; c = x.Shape[1]; h = x.Shape[2]; w = x.Shape[3];
        oh = (h + 2 * p.H - k.H) / s.H + 1; ow = (w + 2 * p.W - k.W) / s.W + 1;
        if (oh <= 0 || ow <= 0) throw new ShapeMismatchException($"{op}: input {h}×{w} too small for kernel {k.H}×{k.W}");
    }
}

/// <summary>
/// <c>nn.Conv2d</c> (groups 1, dilation 1, zero padding): weight [O, C, kh, kw], bias [O], both initialised
/// U(−1/√(C·kh·kw), +) as PyTorch. See <see cref="F.Conv2d"/>.
/// </summary>
public sealed class Conv2d : UnaryModule, IOnnxExportable
{
    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public (int H, int W) Stride { get; }
    public (int H, int W) Padding { get; }
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W)? padding = null, bool bias = true, Random? rng = null)
    {
        rng ??= NnRandom.Create();
        Stride = stride ?? (1, 1); Padding = padding ?? (0, 0);
        float bound = 1f / MathF.Sqrt(inChannels * kernelSize.H * kernelSize.W);
        Weight = RegisterParameter("weight", Tensor.Zeros(outChannels, inChannels, kernelSize.H, kernelSize.W));
        Init.Uniform(Weight, bound, rng);
        if (bias) { Bias = RegisterParameter("bias", Tensor.Zeros(outChannels)); Init.Uniform(Bias, bound, rng); }
    }
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true, Random? rng = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), bias, rng) { }
    public override Tensor Forward(Tensor x) => F.Conv2d(x, Weight, Bias, Stride, Padding);

    /// <summary>(kh, kw), from the weight's shape.</summary>
    public (int H, int W) KernelSize => (Weight.Shape[2], Weight.Shape[3]);

    /// <summary>ONNX: (x [N, C, H, W]) → (y [N, O, OH, OW]) as <c>Conv(kernel_shape, strides, pads = [ph, pw, ph, pw])</c> with <c>weight</c>/<c>bias</c> as stored.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "Conv2d(x)");
        graph.CheckRank(inputs[0], 4, "Conv2d");
        graph.CheckDim(inputs[0], 1, Weight.Shape[1], $"Conv2d({Weight.Shape[1]}→{Weight.Shape[0]})");
        return [graph.ConvOp(inputs[0], Weight, Bias, [KernelSize.H, KernelSize.W], [Stride.H, Stride.W], [Padding.H, Padding.W])];
    }
}

/// <summary><c>nn.Conv1d</c> on [N, C, L]: weight [O, C, k], bias [O]. See <see cref="F.Conv1d"/>.</summary>
public sealed class Conv1d : UnaryModule, IOnnxExportable
{
    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public int Stride { get; }
    public int Padding { get; }
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true, Random? rng = null)
    {
        rng ??= NnRandom.Create();
        Stride = stride; Padding = padding;
        float bound = 1f / MathF.Sqrt(inChannels * kernelSize);
        Weight = RegisterParameter("weight", Tensor.Zeros(outChannels, inChannels, kernelSize));
        Init.Uniform(Weight, bound, rng);
        if (bias) { Bias = RegisterParameter("bias", Tensor.Zeros(outChannels)); Init.Uniform(Bias, bound, rng); }
    }
    public override Tensor Forward(Tensor x) => F.Conv1d(x, Weight, Bias, Stride, Padding);

    /// <summary>k, from the weight's shape.</summary>
    public int KernelSize => Weight.Shape[2];

    /// <summary>ONNX: (x [N, C, L]) → (y [N, O, OL]) as a 1-D <c>Conv(kernel_shape = [k], strides = [s], pads = [p, p])</c>.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "Conv1d(x)");
        graph.CheckRank(inputs[0], 3, "Conv1d");
        graph.CheckDim(inputs[0], 1, Weight.Shape[1], $"Conv1d({Weight.Shape[1]}→{Weight.Shape[0]})");
        return [graph.ConvOp(inputs[0], Weight, Bias, [KernelSize], [Stride], [Padding])];
    }
}

/// <summary><c>nn.MaxPool2d</c> (stride defaults to the kernel size). ONNX: <c>MaxPool</c> (floor mode; padding never wins, as −∞).</summary>
public sealed class MaxPool2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W)? padding = null) : UnaryModule, IOnnxExportable
{
    /// <summary>Window (kh, kw).</summary>
    public (int H, int W) KernelSize => kernelSize;
    /// <summary>Step (sh, sw); the kernel size when not given.</summary>
    public (int H, int W) Stride => stride ?? kernelSize;
    /// <summary>Implicit −∞ padding (ph, pw) on both sides.</summary>
    public (int H, int W) Padding => padding ?? (0, 0);

    /// <summary>ONNX: (x [N, C, H, W]) → (y) as <c>MaxPool(kernel_shape, strides, pads, ceil_mode = 0)</c>.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
        => [graph.PoolOp("MaxPool", inputs, "MaxPool2d", KernelSize, Stride, Padding)];

    /// <summary>Kernel 2 × 2, stride 2, no padding (the case <see cref="Sequential"/> can fuse).</summary>
    internal bool Is2x2Stride2 => kernelSize == (2, 2) && (stride ?? kernelSize) == (2, 2) && (padding ?? (0, 0)) == (0, 0);
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : this((kernelSize, kernelSize), (stride ?? kernelSize, stride ?? kernelSize), (padding, padding)) { }
    public override Tensor Forward(Tensor x) => F.MaxPool2d(x, kernelSize, stride ?? kernelSize, padding ?? (0, 0));
}

/// <summary><c>nn.AvgPool2d</c> (count_include_pad; stride defaults to the kernel size). ONNX: <c>AveragePool(count_include_pad = 1)</c>.</summary>
public sealed class AvgPool2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W)? padding = null) : UnaryModule, IOnnxExportable
{
    /// <summary>Window (kh, kw).</summary>
    public (int H, int W) KernelSize => kernelSize;
    /// <summary>Step (sh, sw); the kernel size when not given.</summary>
    public (int H, int W) Stride => stride ?? kernelSize;
    /// <summary>Zero padding (ph, pw) on both sides, counted in the average.</summary>
    public (int H, int W) Padding => padding ?? (0, 0);

    /// <summary>ONNX: (x [N, C, H, W]) → (y) as <c>AveragePool(kernel_shape, strides, pads, count_include_pad = 1)</c>.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
        => [graph.PoolOp("AveragePool", inputs, "AvgPool2d", KernelSize, Stride, Padding, OnnxAttribute.Of("count_include_pad", 1L))];

    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0) : this((kernelSize, kernelSize), (stride ?? kernelSize, stride ?? kernelSize), (padding, padding)) { }
    public override Tensor Forward(Tensor x) => F.AvgPool2d(x, kernelSize, stride ?? kernelSize, padding ?? (0, 0));
}

/// <summary>
/// <c>nn.AdaptiveAvgPool2d</c>. ONNX: <c>GlobalAveragePool</c> for output 1 × 1 (any input size, dynamic axes
/// allowed); otherwise <c>AveragePool</c> with kernel = stride = input/output, which needs a fixed input height and
/// width divisible by the output size (ONNX has no adaptive pooling with overlapping bins).
/// </summary>
public sealed class AdaptiveAvgPool2d((int H, int W) outputSize) : UnaryModule, IOnnxExportable
{
    /// <summary>Output (OH, OW).</summary>
    public (int H, int W) OutputSize => outputSize;

    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "AdaptiveAvgPool2d(x)");
        var x = inputs[0];
        graph.CheckRank(x, 4, "AdaptiveAvgPool2d");
        var s = graph.ShapeOf(x);
        if (outputSize == (1, 1))
        {
            var y = graph.Op("GlobalAveragePool", [x]);
            graph.SetShape(y, s is null ? null : [s[0], s[1], 1, 1]);
            return [y];
        }
        if (s is not null && s[2].Value is int h && s[3].Value is int w && h % outputSize.H == 0 && w % outputSize.W == 0)
        {
            var k = (h / outputSize.H, w / outputSize.W);
            return [graph.PoolOp("AveragePool", inputs, "AdaptiveAvgPool2d", k, k, (0, 0))];
        }
        throw new OnnxExportException(
            $"AdaptiveAvgPool2d(({outputSize.H}, {outputSize.W})) at '{graph.Scope}' cannot be exported for input {OnnxDim.Format(s)}: ONNX has no adaptive pooling; "
            + "only output (1, 1) (GlobalAveragePool) or a fixed input height and width divisible by the output size (AveragePool) can be expressed");
    }

    public AdaptiveAvgPool2d(int size) : this((size, size)) { }
    public override Tensor Forward(Tensor x) => F.AdaptiveAvgPool2d(x, outputSize);
}
