using System.Runtime.Intrinsics;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Supplies dY (the gradient of a convolution's output) band by band for <see cref="ImplicitGemmConv.Backward"/>:
/// copied from a gradient tensor, or computed on the spot by the op that follows the convolution (BatchNorm → ReLU →
/// MaxPool's backward), so the full-size dY never goes to memory.
/// </summary>
internal abstract unsafe class ConvGradSource
{
    /// <summary>
    /// Writes padded rows [<paramref name="pr0"/>, at least <paramref name="pr1"/>) of image <paramref name="n"/>'s dY
    /// planes laid out by <paramref name="lay"/> (the input-gradient correlation's layout: padding (kh − 1 − ph,
    /// kw − 1 − pw), row stride Wp, every border element 0; reaching the last padded row also zeroes the slack after
    /// it), adds Σ dY of the data rows written to <paramref name="db"/> (per output channel, one double per row), and
    /// returns the end of the rows actually written (a source may round up, e.g. to whole pooling row pairs).
    /// </summary>
    public abstract int FillRows(int n, float* planes, in ImplicitGemmConv.Layout lay, int pr0, int pr1, double* db);

    /// <summary>Σ of one dY row, as the bias gradient takes it: a <see cref="Reductions.RowSum"/> per row, added in double.</summary>
    protected static double RowTotal(float* row, int len) => Reductions.RowSum(row, len);

    /// <summary>Zeroes the slack after the last padded row of every plane.</summary>
    protected static void ClearSlack(float* planes, in ImplicitGemmConv.Layout lay)
    {
        int hp = lay.H + 2 * lay.PH;
        for (int c = 0; c < lay.C; c++)
            new Span<float>(planes + (long)c * lay.Plane + (long)hp * lay.Wp, lay.Plane - hp * lay.Wp).Clear();
    }
}

/// <summary>dY read from a [N, O, OH, OW] gradient array.</summary>
internal sealed unsafe class TensorConvGradSource(float* dy) : ConvGradSource
{
    public override int FillRows(int n, float* planes, in ImplicitGemmConv.Layout lay, int pr0, int pr1, double* db)
    {
        int ohw = lay.H * lay.W, hp = lay.H + 2 * lay.PH;
        float* src = dy + (long)n * lay.C * ohw;
        ImplicitGemmConv.PadRowsOf(src, lay, planes, pr0, pr1);
        for (int o = 0; o < lay.C; o++)
            for (int pr = Math.Max(pr0, lay.PH); pr < Math.Min(pr1, lay.PH + lay.H); pr++)
                db[o] += RowTotal(src + (long)o * ohw + (long)(pr - lay.PH) * lay.W, lay.W);
        if (pr1 >= hp) ClearSlack(planes, lay);
        return pr1;
    }
}

internal static unsafe partial class ImplicitGemmConv
{
    /// <summary>
    /// Whether <see cref="Backward"/> handles <paramref name="g"/>: the implicit-GEMM conditions plus "same" padding
    /// (kh − 1 = 2·ph, kw − 1 = 2·pw), under which the input-gradient correlation's padded dY planes, read at an
    /// offset, are exactly the weight gradient's virtual-layout dY rows — one buffer serves both.
    /// </summary>
    public static bool SupportsFusedBackward(in Conv2dGeometry g) =>
        Supports(g) && g.KernelH - 1 == 2 * g.PadH && g.KernelW - 1 == 2 * g.PadW;

    [ThreadStatic] private static float[]? t_dyPlanes;

    /// <summary>Σ dY of one plane as the bias gradient takes it everywhere: row sums added in double.</summary>
    internal static double BiasSum(float* plane, int rows, int width)
    {
        double s = 0;
        for (int r = 0; r < rows; r++) s += Reductions.RowSum(plane + (long)r * width, width);
        return s;
    }

    /// <summary>
    /// Both gradients in one pass per image, band by band: <paramref name="source"/> writes a band of the image's dY
    /// into padded planes (in cache), the weight-gradient tiles read it in place (per-image partials into
    /// <paramref name="partial"/>, layout of <see cref="ConvKernels.ReducePartials"/>; skipped when null), and the
    /// input-gradient tiles correlate it with the flipped weights into <paramref name="dx"/> (overwritten; skipped when
    /// null). Bands of <see cref="BackwardBandRows"/> rows keep dY, the padded input and dX's band L2-resident. The
    /// arithmetic is the separate passes' (<see cref="BackwardInput"/>, <see cref="BackwardWeightPartials"/>): dX and dW
    /// are bit-identical to them. Images are spread over the threads (which thread takes one changes nothing).
    /// </summary>
    public static void Backward(in Conv2dGeometry g, float* x, float* w, ConvGradSource source, float* dx, float* partial)
    {
        int lanes = Lanes, mr = TileRows;
        var layX = new Layout(g.InChannels, g.OutChannels, g.Height, g.Width, g.KernelH, g.KernelW, g.PadH, g.PadW, lanes, mr);
        var layD = new Layout(g.OutChannels, g.InChannels, g.OutH, g.OutW, g.KernelH, g.KernelW,
            g.KernelH - 1 - g.PadH, g.KernelW - 1 - g.PadW, lanes, mr);
        float[]? packed = dx == null ? null : System.Buffers.ArrayPool<float>.Shared.Rent(layD.O * layD.K);
        try
        {
            fixed (float* wp = packed)
            {
                if (dx != null) PackInputGrad(w, g, wp, mr);
                var job = new FusedBackwardJob(layX, layD, g.Batch, x, wp, source, dx, partial);
                job.Run();
            }
        }
        finally { if (packed != null) System.Buffers.ArrayPool<float>.Shared.Return(packed); }
    }

    private sealed class FusedBackwardJob(Layout layX, Layout layD, int batch, float* x, float* packed, ConvGradSource source,
        float* dx, float* partial) : KernelJob
    {
        private int _next;

        public void Run()
        {
            _next = 0;
            KernelParallel.Run(this, Math.Min(Gemm.MaxThreads, batch));
        }

        public override void Execute(int participant, int count)
        {
            int n;
            while ((n = Interlocked.Increment(ref _next) - 1) < batch)
            {
                if (Gemm.DefaultIsa == GemmIsa.Avx512) Image<Simd512, Vector512<float>>(n);
                else if (ImplicitGemmConv.WideTiles) Image<Simd256Wide, Vector256<float>>(n);
                else Image<Simd256, Vector256<float>>(n);
            }
        }

        /// <summary>Makes the padded dY rows holding every virtual index below q valid (all rows and the slack past the end).</summary>
        private void FillThrough(int n, float* planes, double* db, ref int filled, long q)
        {
            int hp = layD.H + 2 * layD.PH;
            int need = q >= (long)hp * layD.Wp ? hp : (int)Math.Min(hp, (q + layD.Wp - 1) / layD.Wp);
            if (need > filled) filled = source.FillRows(n, planes, layD, filled, need, db);
        }

        private void Image<TS, TV>(int n) where TS : struct, ISimdOps<TV> where TV : struct
        {
            int o = layX.O, k = layX.K, l = TS.Lanes, wp = layX.Wp, oh = layX.OH;
            float* planes = Buffer(ref t_dyPlanes, (long)o * layD.Plane);
            double* db = stackalloc double[o];
            for (int ch = 0; ch < o; ch++) db[ch] = 0;
            int filled = 0;
            var lazy = new LazyPad(x + (long)n * layX.C * layX.H * layX.W, layX, Buffer(ref t_pad, (long)layX.C * layX.Plane));
            float* vp = partial != null ? WeightPartials(layX, o) : null;
            // dYv[o, q] = planes[o·Plane + q + PH·Wp + PW]: the padded plane read from its first data element
            float* dyRows = planes + layD.PH * layD.Wp + layD.PW;
            int bandRows = BackwardBandRows(layX), qEnd = RoundUp(oh * wp, l), blocks = (layD.O + TS.TileRows - 1) / TS.TileRows;
            float* dxImage = dx == null ? null : dx + (long)n * layD.O * layD.OH * layD.OW;
            for (int r0 = 0; r0 < oh; r0 += bandRows)
            {
                int r1 = Math.Min(oh, r0 + bandRows);
                int qa = r0 * wp, qb = r1 == oh ? qEnd : r1 * wp;
                if (partial != null)
                {
                    lazy.Through(qb + (layX.KH - 1) * wp + layX.KW);
                    FillThrough(n, planes, db, ref filled, qb + layD.PH * wp + layD.PW);
                    WeightRange<TS, TV>(layX, lazy.Planes, dyRows, layD.Plane, null, 0, o, vp, qa, qb, r0 == 0, 0);
                }
                if (dx != null)
                {
                    int qc = r1 * wp;   // dX rows [r0, r1) in the correlation's virtual layout (same Wp)
                    if (r1 == oh) qc = layD.Qtot;
                    FillThrough(n, planes, db, ref filled, qc + layD.Nr + (layD.KH - 1) * wp + layD.KW);
                    CorrelateRange<TS, TV>(layD, planes, packed, null, dxImage, 0, blocks, qa, qc, false);
                }
            }
            if (partial != null)
            {
                float* part = partial + (long)n * (o * k + o);
                WeightFinish<TS, TV>(layX, vp, 0, o, part);
                for (int ch = 0; ch < o; ch++) part[(long)o * k + ch] = (float)db[ch];
            }
        }
    }
}
