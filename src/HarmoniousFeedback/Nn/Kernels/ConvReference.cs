namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Naive convolution loops straight from the definition (PyTorch <c>conv2d</c>: cross-correlation, zero padding,
/// stride; groups = 1, dilation = 1), accumulating in double — the reference every fast path
/// (<see cref="ConvKernels"/>, the implicit-GEMM and fused block kernels) is tested against, as
/// <see cref="Gemm.Reference"/> is for the GEMM. O(N·O·C·KH·KW·OH·OW) with no blocking: for tests and small checks only.
/// Shapes as in <see cref="Conv2dGeometry"/>; every output is overwritten.
/// </summary>
public static class ConvReference
{
    /// <summary>y[n, o, oy, ox] = b[o] + Σ_(c, i, j) w[o, c, i, j] · x[n, c, oy·sH − pH + i, ox·sW − pW + j] (taps in the padding count 0).</summary>
    public static void Forward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y)
    {
        Check(g, x.Length, w.Length, y.Length);
        for (int n = 0; n < g.Batch; n++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int oy = 0; oy < g.OutH; oy++)
                    for (int ox = 0; ox < g.OutW; ox++)
                    {
                        double s = bias.IsEmpty ? 0 : bias[o];
                        for (int c = 0; c < g.InChannels; c++)
                            for (int i = 0; i < g.KernelH; i++)
                                for (int j = 0; j < g.KernelW; j++)
                                    if (Tap(g, oy, ox, i, j, out int iy, out int ix))
                                        s += (double)w[WIdx(g, o, c, i, j)] * x[XIdx(g, n, c, iy, ix)];
                        y[YIdx(g, n, o, oy, ox)] = (float)s;
                    }
    }

    /// <summary>dx[n, c, iy, ix] = Σ over the (o, oy, ox, i, j) whose tap reads x[n, c, iy, ix] of dy[n, o, oy, ox] · w[o, c, i, j]
    /// (<c>torch.nn.grad.conv2d_input</c>).</summary>
    public static void BackwardInput(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx)
    {
        Check(g, dx.Length, w.Length, dy.Length);
        var acc = new double[g.InputSize];
        for (int n = 0; n < g.Batch; n++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int oy = 0; oy < g.OutH; oy++)
                    for (int ox = 0; ox < g.OutW; ox++)
                    {
                        double d = dy[YIdx(g, n, o, oy, ox)];
                        for (int c = 0; c < g.InChannels; c++)
                            for (int i = 0; i < g.KernelH; i++)
                                for (int j = 0; j < g.KernelW; j++)
                                    if (Tap(g, oy, ox, i, j, out int iy, out int ix))
                                        acc[XIdx(g, n, c, iy, ix)] += d * w[WIdx(g, o, c, i, j)];
                    }
        for (int k = 0; k < acc.Length; k++) dx[k] = (float)acc[k];
    }

    /// <summary>dw[o, c, i, j] = Σ_(n, oy, ox) dy[n, o, oy, ox] · x[n, c, oy·sH − pH + i, ox·sW − pW + j] and db[o] = Σ dy[n, o]
    /// (<c>torch.nn.grad.conv2d_weight</c>); <paramref name="db"/> may be empty.</summary>
    public static void BackwardWeight(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, Span<float> db)
    {
        Check(g, x.Length, dw.Length, dy.Length);
        var accW = new double[g.WeightSize];
        var accB = new double[g.OutChannels];
        for (int n = 0; n < g.Batch; n++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int oy = 0; oy < g.OutH; oy++)
                    for (int ox = 0; ox < g.OutW; ox++)
                    {
                        double d = dy[YIdx(g, n, o, oy, ox)];
                        accB[o] += d;
                        for (int c = 0; c < g.InChannels; c++)
                            for (int i = 0; i < g.KernelH; i++)
                                for (int j = 0; j < g.KernelW; j++)
                                    if (Tap(g, oy, ox, i, j, out int iy, out int ix))
                                        accW[WIdx(g, o, c, i, j)] += d * x[XIdx(g, n, c, iy, ix)];
                    }
        for (int k = 0; k < accW.Length; k++) dw[k] = (float)accW[k];
        if (!db.IsEmpty) for (int k = 0; k < accB.Length; k++) db[k] = (float)accB[k];
    }

    /// <summary>Input position read by tap (i, j) of output (oy, ox); false when it lies in the zero padding.</summary>
    private static bool Tap(in Conv2dGeometry g, int oy, int ox, int i, int j, out int iy, out int ix)
    {
        iy = oy * g.StrideH - g.PadH + i;
        ix = ox * g.StrideW - g.PadW + j;
        return iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width;
    }

    private static void Check(in Conv2dGeometry g, int inputLength, int weightLength, int outputLength)
    {
        g.Validate();
        if (inputLength < g.InputSize || weightLength < g.WeightSize || outputLength < g.OutputSize)
            throw new ShapeMismatchException($"ConvReference: {g} needs input {g.InputSize}, weight {g.WeightSize}, output {g.OutputSize} elements; got {inputLength}, {weightLength}, {outputLength}");
    }

    private static int XIdx(in Conv2dGeometry g, int n, int c, int y, int x) => ((n * g.InChannels + c) * g.Height + y) * g.Width + x;
    private static int WIdx(in Conv2dGeometry g, int o, int c, int i, int j) => ((o * g.InChannels + c) * g.KernelH + i) * g.KernelW + j;
    private static int YIdx(in Conv2dGeometry g, int n, int o, int y, int x) => ((n * g.OutChannels + o) * g.OutH + y) * g.OutW + x;
}
