using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Stride-1 convolutions as an implicit GEMM on zero-padded planes: no im2col matrix is formed; the GEMM microkernel
/// reads its B operand straight from the padded input.
/// <para><b>Layout.</b> Each input plane [H, W] is copied into a zero-padded plane of row stride Wp = W + 2·pw
/// (ph zero rows above and below). Output pixel (oy, ox) gets the "virtual" index q = oy·Wp + ox, and kernel tap
/// (i, j) reads the padded plane at q + i·Wp + j — a constant offset per tap. So a run of consecutive q (crossing row
/// ends) is one contiguous load per tap, and the convolution is the product
/// Yv[o, q] = Σ_(c, i, j) W[o, c, i, j] · Xpad[c, q + i·Wp + j] over every q in [0, OH·Wp): a GEMM with
/// M = O, N = OH·Wp, K = C·kh·kw whose B rows are shifted views of the padded planes. Virtual columns ox ≥ OW
/// (2·pw per row, 1–5 % of the work for the layers here) are computed and dropped.</para>
/// <para><b>Microkernel.</b> A register tile of <see cref="ISimdOps{TV}.TileRows"/> output channels × 3 vectors of q
/// (AVX2 4 × 24, AVX-512 8 × 48): per K step, 3 unaligned loads, one broadcast of a packed weight per row, 3 FMAs per
/// row. Tiles write to a per-thread band buffer; the epilogue copies the valid columns out (adding the bias).
/// Rows of the image are processed in bands whose padded input fits in L2, each band reused by every output block.</para>
/// <para><b>Input gradient.</b> For stride 1, dX = conv(dY padded by (kh − 1 − ph, kw − 1 − pw), W with in/out
/// channels swapped and both spatial axes flipped) — the same kernel (this is why <see cref="Supports"/> needs
/// ph &lt; kh and pw &lt; kw).</para>
/// <para><b>Weight gradient.</b> dW[o, c, i, j] = Σ_q dYv[o, q] · Xpad[c, q + i·Wp + j], where dYv is dY in the
/// virtual layout with zeros in the dropped columns: a GEMM with K = the pixels. A tile of TileRows output channels ×
/// 3 taps keeps lane-wise partial sums over a band of q; at the band's end each accumulator's lanes are summed
/// (fixed order) and added to the image's partial dW. Bands depend only on the shapes.</para>
/// <para><b>Determinism.</b> Every output element is computed by the same instruction sequence whichever thread
/// computes it: results are bit-identical run to run and for any thread count (images, or output blocks of one image,
/// are what threads claim). FMA chains make results differ from the im2col path in the last bits.</para>
/// </summary>
internal static unsafe partial class ImplicitGemmConv
{
    /// <summary>Vectors per register-tile row.</summary>
    internal const int Nv = 3;

    /// <summary>Target floats of padded input (plus output band) per band: about 160 KiB, well inside a 512 KiB–2 MiB L2.</summary>
    private const int BandBudgetFloats = 40 * 1024;

    /// <summary>Whether the implicit-GEMM path handles <paramref name="g"/>: stride 1, padding below the kernel size, AVX2+FMA or AVX-512.</summary>
    public static bool Supports(in Conv2dGeometry g) =>
        Gemm.DefaultIsa != GemmIsa.Scalar && g.StrideH == 1 && g.StrideW == 1 && g.PadH < g.KernelH && g.PadW < g.KernelW;

    internal static int Lanes => Gemm.DefaultIsa == GemmIsa.Avx512 ? 16 : 8;
    internal static int TileRows => Gemm.DefaultIsa == GemmIsa.Avx512 || WideTiles ? 8 : 4;

    /// <summary>
    /// Check hook for machines without AVX-512: with the environment variable <c>HFB_CONV_WIDE_TILES=1</c> at start-up the
    /// AVX2 kernels use the AVX-512 tile shape (8 rows; the accumulators then spill), so the 5–8-row tile code runs and
    /// can be tested. Results are the same either way (each output's FMA chain does not depend on the tile).
    /// </summary>
    internal static readonly bool WideTiles = Environment.GetEnvironmentVariable("HFB_CONV_WIDE_TILES") == "1";

    /// <summary>Geometry of one stride-1 correlation on padded planes (the forward pass, or the input gradient as one).</summary>
    internal readonly struct Layout
    {
        public readonly int C, O, H, W, KH, KW, PH, PW, OH, OW, Wp, Taps, Nr, Qtot, Plane, BandQ;

        public Layout(int c, int o, int h, int w, int kh, int kw, int ph, int pw, int lanes, int tileRows)
        {
            C = c; O = o; H = h; W = w; KH = kh; KW = kw; PH = ph; PW = pw;
            OH = h + 2 * ph - kh + 1; OW = w + 2 * pw - kw + 1;
            Wp = w + 2 * pw; Taps = kh * kw; Nr = Nv * lanes;
            Qtot = RoundUp(OH * Wp, Nr);
            // every tile at q < Qtot reads up to q + Nr − 1 + (kh − 1)·Wp + kw − 1
            Plane = RoundUp(Qtot + (kh - 1) * Wp + kw - 1, 16);
            int perRow = c * Wp + tileRows * Wp;
            int rows = Math.Clamp(BandBudgetFloats / Math.Max(1, perRow) - (kh - 1), 1, OH);
            BandQ = Math.Min(Qtot, RoundUp(rows * Wp, Nr));
        }

        public int K => C * Taps;
    }

    internal static int RoundUp(int v, int m) => (v + m - 1) / m * m;

    // ------------------------------------------------------------------------------------------------ public passes

    /// <summary>y[n] = bias + W ⋆ x[n] (PyTorch conv2d, stride 1). Overwrites <paramref name="y"/>.</summary>
    public static void Forward(in Conv2dGeometry g, float* x, float* w, float* bias, float* y)
    {
        var lay = new Layout(g.InChannels, g.OutChannels, g.Height, g.Width, g.KernelH, g.KernelW, g.PadH, g.PadW, Lanes, TileRows);
        float[] packed = System.Buffers.ArrayPool<float>.Shared.Rent(lay.O * lay.K);
        try
        {
            fixed (float* wp = packed)
            {
                PackForward(w, lay, wp, TileRows);
                RunCorrelation(lay, g.Batch, x, wp, bias, y, accumulate: false);
            }
        }
        finally { System.Buffers.ArrayPool<float>.Shared.Return(packed); }
    }

    /// <summary>dx[n] (+)= conv_transpose2d(dy[n], W) for stride 1, as a correlation of padded dy with the flipped, transposed W.</summary>
    public static void BackwardInput(in Conv2dGeometry g, float* dy, float* w, float* dx, bool accumulate)
    {
        var lay = new Layout(g.OutChannels, g.InChannels, g.OutH, g.OutW, g.KernelH, g.KernelW,
            g.KernelH - 1 - g.PadH, g.KernelW - 1 - g.PadW, Lanes, TileRows);
        float[] packed = System.Buffers.ArrayPool<float>.Shared.Rent(lay.O * lay.K);
        try
        {
            fixed (float* wp = packed)
            {
                PackInputGrad(w, g, wp, TileRows);
                RunCorrelation(lay, g.Batch, dy, wp, null, dx, accumulate);
            }
        }
        finally { System.Buffers.ArrayPool<float>.Shared.Return(packed); }
    }

    /// <summary>
    /// Per-image weight and bias gradients: <c>partial[n·(O·C·kh·kw + O) + (o·C + c)·kh·kw + i·kw + j]</c> =
    /// Σ_(oy,ox) dy[n, o, oy, ox] · x[n, c, oy − ph + i, ox − pw + j] and, after the weights, Σ dy[n, o] per o.
    /// </summary>
    public static void BackwardWeightPartials(in Conv2dGeometry g, float* x, float* dy, float* partial)
    {
        var lay = new Layout(g.InChannels, g.OutChannels, g.Height, g.Width, g.KernelH, g.KernelW, g.PadH, g.PadW, Lanes, TileRows);
        var job = t_wjob ??= new WeightJob();
        job.Set(lay, g.Batch, x, dy, partial, WeightBandQ(lay));
        try { RunJob(job, g.Batch, lay.O); }
        finally { job.Clear(); }
    }

    // ------------------------------------------------------------------------------------------------ packing

    /// <summary>Forward weights in blocks of <paramref name="mr"/> output channels: block at o0 holds rows
    /// r &lt; min(mr, O − o0) as <c>packed[o0·K + k·rows + r] = W[o0 + r, k]</c>, k = c·taps + t.</summary>
    internal static void PackForward(float* w, in Layout lay, float* packed, int mr)
    {
        int k = lay.K;
        for (int o0 = 0; o0 < lay.O; o0 += mr)
        {
            int rows = Math.Min(mr, lay.O - o0);
            float* dst = packed + (long)o0 * k;
            for (int kk = 0; kk < k; kk++)
                for (int r = 0; r < rows; r++) dst[kk * rows + r] = w[(long)(o0 + r) * k + kk];
        }
    }

    /// <summary>Input-gradient weights: the correlation's output channel is c, its input channel o, and the taps are
    /// reversed: <c>W'[c, o, t] = W[o, c, taps − 1 − t]</c>, packed in blocks of c as <see cref="PackForward"/>.</summary>
    internal static void PackInputGrad(float* w, in Conv2dGeometry g, float* packed, int mr)
    {
        int o = g.OutChannels, c = g.InChannels, taps = g.KernelH * g.KernelW, k = o * taps;
        for (int c0 = 0; c0 < c; c0 += mr)
        {
            int rows = Math.Min(mr, c - c0);
            float* dst = packed + (long)c0 * k;
            for (int oc = 0; oc < o; oc++)
                for (int t = 0; t < taps; t++)
                    for (int r = 0; r < rows; r++)
                        dst[(oc * taps + t) * rows + r] = w[((long)oc * c + c0 + r) * taps + taps - 1 - t];
        }
    }

    /// <summary>Copies planes [C, H, W] into zero-padded planes of <see cref="Layout.Plane"/> floats, row stride Wp.</summary>
    internal static void PadPlanes(float* src, in Layout lay, float* dst, int c0, int c1)
    {
        int h = lay.H, w = lay.W, wp = lay.Wp, ph = lay.PH, pw = lay.PW;
        for (int c = c0; c < c1; c++)
        {
            float* s = src + (long)c * h * w;
            float* d = dst + (long)c * lay.Plane;
            float* end = d + lay.Plane;
            int lead = ph * wp + pw;
            new Span<float>(d, lead).Clear();
            d += lead;
            for (int iy = 0; iy < h; iy++)
            {
                new ReadOnlySpan<float>(s + (long)iy * w, w).CopyTo(new Span<float>(d, w));
                d += w;
                if (iy < h - 1)
                {
                    for (int z = 0; z < 2 * pw; z++) d[z] = 0f;
                    d += 2 * pw;
                }
            }
            new Span<float>(d, (int)(end - d)).Clear();
        }
    }

    // ------------------------------------------------------------------------------------------------ threading

    [ThreadStatic] internal static float[]? t_pad;
    [ThreadStatic] private static float[]? t_band;
    [ThreadStatic] private static CorrelationJob? t_cjob;
    [ThreadStatic] private static WeightJob? t_wjob;
    [ThreadStatic] private static float[]? t_shared;

    /// <summary>A 64-byte-aligned pinned per-thread buffer of at least <paramref name="len"/> floats.</summary>
    internal static float* Buffer(ref float[]? arr, long len)
    {
        if (arr is null || arr.Length < len + 16) arr = GC.AllocateUninitializedArray<float>(checked((int)len + 16), pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(arr));
        return (float*)((p + 63) & ~(nint)63);
    }

    /// <summary>Images per thread when there are enough (same rule as <see cref="ConvKernels"/>); else, image by
    /// image, the output blocks are spread over the threads.</summary>
    private static void RunJob(ImageJob job, int batch, int outChannels)
    {
        int threads = Gemm.MaxThreads;
        if (threads <= 1 || batch % threads == 0 || batch >= 4 * threads)
        {
            job.Mode = -1;
            job.ResetClaims();
            KernelParallel.Run(job, threads);
            return;
        }
        int blocks = (outChannels + TileRows - 1) / TileRows;
        for (int n = 0; n < batch; n++)
        {
            job.Mode = n;
            job.PrepareShared(n);
            job.ResetClaims();
            KernelParallel.Run(job, Math.Min(threads, blocks));
        }
    }

    private static void RunCorrelation(in Layout lay, int batch, float* src, float* packed, float* bias, float* dst, bool accumulate)
    {
        var job = t_cjob ??= new CorrelationJob();
        job.Set(lay, batch, src, packed, bias, dst, accumulate);
        try { RunJob(job, batch, lay.O); }
        finally { job.Clear(); }
    }

    /// <summary>Work handed out by images (<see cref="Mode"/> −1) or by output blocks of image <see cref="Mode"/>.</summary>
    private abstract class ImageJob : KernelJob
    {
        public int Mode = -1;
        private int _next;
        protected int Batch, BlockCount;

        public void ResetClaims() => _next = 0;

        /// <summary>Block mode: prepares what all threads share for image <paramref name="n"/> (the padded input).</summary>
        public abstract void PrepareShared(int n);

        protected abstract void Image(int n);
        protected abstract void Block(int n, int block);

        public override void Execute(int participant, int count)
        {
            int item;
            if (Mode < 0)
                while ((item = Interlocked.Increment(ref _next) - 1) < Batch) Image(item);
            else
                while ((item = Interlocked.Increment(ref _next) - 1) < BlockCount) Block(Mode, item);
        }
    }

    // ------------------------------------------------------------------------------------------------ correlation (forward / input gradient)

    private sealed class CorrelationJob : ImageJob
    {
        private Layout _lay;
        private float* _src, _packed, _bias, _dst, _shared;
        private bool _acc;

        public void Set(in Layout lay, int batch, float* src, float* packed, float* bias, float* dst, bool accumulate)
        {
            _lay = lay; Batch = batch; _src = src; _packed = packed; _bias = bias; _dst = dst; _acc = accumulate;
            BlockCount = (lay.O + TileRows - 1) / TileRows;
        }

        public void Clear() { _src = _packed = _bias = _dst = _shared = null; }

        public override void PrepareShared(int n)
        {
            _shared = Buffer(ref t_shared, (long)_lay.C * _lay.Plane);
            PadPlanes(_src + (long)n * _lay.C * _lay.H * _lay.W, _lay, _shared, 0, _lay.C);
        }

        protected override void Image(int n)
        {
            // the padded planes are written band by band just before the band's tiles read them (L2-warm)
            var pad = new LazyPad(_src + (long)n * _lay.C * _lay.H * _lay.W, _lay, Buffer(ref t_pad, (long)_lay.C * _lay.Plane));
            Blocks(ref pad, n, 0, BlockCount);
        }

        protected override void Block(int n, int block)
        {
            var pad = LazyPad.Ready(_shared, _lay);
            Blocks(ref pad, n, block, block + 1);
        }

        private void Blocks(ref LazyPad pad, int n, int b0, int b1)
        {
            if (Gemm.DefaultIsa == GemmIsa.Avx512) Run<Simd512, Vector512<float>>(ref pad, n, b0, b1);
            else if (WideTiles) Run<Simd256Wide, Vector256<float>>(ref pad, n, b0, b1);
            else Run<Simd256, Vector256<float>>(ref pad, n, b0, b1);
        }

        private void Run<TS, TV>(ref LazyPad pad, int n, int b0, int b1) where TS : struct, ISimdOps<TV> where TV : struct
            => CorrelateImage<TS, TV>(_lay, ref pad, _packed, _bias, _dst + (long)n * _lay.O * _lay.OH * _lay.OW, b0, b1, _acc);
    }

    /// <summary>Output blocks [b0, b1) of one image: tiles over bands of the padded planes, then the epilogue into
    /// <paramref name="dst"/> [O, OH, OW] (overwritten, or added to when <paramref name="accumulate"/>).</summary>
    internal static void CorrelateImage<TS, TV>(in Layout lay, ref LazyPad pad, float* packed, float* bias, float* dst, int b0, int b1, bool accumulate)
        where TS : struct, ISimdOps<TV> where TV : struct
    {
        for (int qa = 0; qa < lay.Qtot; qa += lay.BandQ)
        {
            int qb = Math.Min(lay.Qtot, qa + lay.BandQ);
            pad.Through(qb + lay.Nr + (lay.KH - 1) * lay.Wp + lay.KW);
            CorrelateRange<TS, TV>(lay, pad.Planes, packed, bias, dst, b0, b1, qa, qb, accumulate);
        }
    }

    /// <summary>
    /// Virtual outputs [qa, qb) of output blocks [b0, b1): tiles of Nr from qa (the last may run past qb: its extra
    /// outputs are dropped; the padded planes must be valid up to qb + Nr + (kh − 1)·Wp + kw), then the epilogue.
    /// </summary>
    internal static void CorrelateRange<TS, TV>(in Layout lay, float* planes, float* packed, float* bias, float* dst, int b0, int b1, int qa, int qb, bool accumulate)
        where TS : struct, ISimdOps<TV> where TV : struct
    {
        int mr = TS.TileRows, nr = lay.Nr, k = lay.K;
        long ldb = RoundUp(Math.Max(qb - qa, 1), nr);
        float* band = Buffer(ref t_band, mr * ldb);
        int* offs = stackalloc int[lay.Taps];
        for (int i = 0; i < lay.KH; i++)
            for (int j = 0; j < lay.KW; j++) offs[i * lay.KW + j] = i * lay.Wp + j;
        for (int blk = b0; blk < b1; blk++)
        {
            int o0 = blk * mr, rows = Math.Min(mr, lay.O - o0);
            float* wp = packed + (long)o0 * k;
            float* b = bias == null ? null : bias + o0;
            for (int q = qa; q < qb; q += nr)
                Tile<TS, TV>(rows, planes + q, lay.Plane, lay.C, offs, lay.Taps, wp, b, band + (q - qa), (nint)ldb);
            Epilogue(lay, band, ldb, rows, qa, qb, dst + (long)o0 * lay.OH * lay.OW, accumulate);
        }
    }

    /// <summary>
    /// Zero-padded planes of one image written on demand, in increasing row order: <see cref="Through"/>(q) makes every
    /// padded element below virtual index q (in each plane) valid, padding only rows not written yet. Each row is
    /// written once per image, right before the tiles that read it.
    /// </summary>
    internal struct LazyPad
    {
        private readonly float* _src;
        private readonly Layout _lay;
        private int _rows;   // padded rows written so far (the slack after the last row counts as one more)
        public readonly float* Planes;

        public LazyPad(float* src, in Layout lay, float* planes) { _src = src; _lay = lay; Planes = planes; _rows = 0; }

        /// <summary>Planes already padded in full.</summary>
        public static LazyPad Ready(float* planes, in Layout lay) => new(null, lay, planes) { _rows = int.MaxValue };

        public void Through(long q)
        {
            int hp = _lay.H + 2 * _lay.PH, wp = _lay.Wp;
            if (_rows > hp) return;
            int need = (int)Math.Min(hp, (q + wp - 1) / wp);
            if (need > _rows)
            {
                PadRows(_src, _lay, Planes, _rows, need);
                _rows = need;
            }
            if (_rows == hp && q > (long)hp * wp)
            {
                for (int c = 0; c < _lay.C; c++)
                    new Span<float>(Planes + (long)c * _lay.Plane + (long)hp * wp, _lay.Plane - hp * wp).Clear();
                _rows = hp + 1;
            }
        }
    }

    /// <summary>Padded rows [pr0, pr1) of every plane (see <see cref="PadRows"/>).</summary>
    internal static void PadRowsOf(float* src, in Layout lay, float* dst, int pr0, int pr1) => PadRows(src, lay, dst, pr0, pr1);

    /// <summary>Padded rows [pr0, pr1) of every plane: zero rows above and below the image, pw zeros either side of each image row.</summary>
    private static void PadRows(float* src, in Layout lay, float* dst, int pr0, int pr1)
    {
        int h = lay.H, w = lay.W, wp = lay.Wp, ph = lay.PH, pw = lay.PW;
        for (int c = 0; c < lay.C; c++)
        {
            float* s = src + (long)c * h * w;
            float* d = dst + (long)c * lay.Plane;
            for (int pr = pr0; pr < pr1; pr++)
            {
                float* row = d + (long)pr * wp;
                int iy = pr - ph;
                if ((uint)iy >= (uint)h) { new Span<float>(row, wp).Clear(); continue; }
                for (int z = 0; z < pw; z++) { row[z] = 0f; row[pw + w + z] = 0f; }
                new ReadOnlySpan<float>(s + (long)iy * w, w).CopyTo(new Span<float>(row + pw, w));
            }
        }
    }

    /// <summary>Copies the valid columns of a band of virtual outputs into the output planes (or adds them to it).</summary>
    private static void Epilogue(in Layout lay, float* band, long ldb, int rows, int qa, int qb, float* y, bool accumulate)
    {
        int wp = lay.Wp, ow = lay.OW, ohw = lay.OH * lay.OW;
        int oyA = qa / wp, oyB = Math.Min(lay.OH - 1, (qb - 1) / wp);
        for (int r = 0; r < rows; r++)
        {
            float* s = band + r * ldb;
            float* yo = y + (long)r * ohw;
            for (int oy = oyA; oy <= oyB; oy++)
            {
                int q0 = oy * wp, a = Math.Max(qa, q0), e = Math.Min(qb, q0 + ow);
                if (e <= a) continue;
                var src = new ReadOnlySpan<float>(s + (a - qa), e - a);
                var d = new Span<float>(yo + oy * ow + (a - q0), e - a);
                if (accumulate) System.Numerics.Tensors.TensorPrimitives.Add(d, src, d);
                else src.CopyTo(d);
            }
        }
    }

    internal static void Tile<TS, TV>(int rows, float* x, nint plane, int channels, int* offs, int taps, float* w, float* bias, float* y, nint ldy)
        where TS : struct, ISimdOps<TV> where TV : struct
    {
        switch (rows)
        {
            case 1: FwdTile<TS, TV, N1>(x, plane, channels, offs, taps, w, bias, y, ldy); break;
            case 2: FwdTile<TS, TV, N2>(x, plane, channels, offs, taps, w, bias, y, ldy); break;
            case 3: FwdTile<TS, TV, N3>(x, plane, channels, offs, taps, w, bias, y, ldy); break;
            case 4: FwdTile<TS, TV, N4>(x, plane, channels, offs, taps, w, bias, y, ldy); break;
            case 5: FwdTile<TS, TV, N5>(x, plane, channels, offs, taps, w, bias, y, ldy); break;
            case 6: FwdTile<TS, TV, N6>(x, plane, channels, offs, taps, w, bias, y, ldy); break;
            case 7: FwdTile<TS, TV, N7>(x, plane, channels, offs, taps, w, bias, y, ldy); break;
            default: FwdTile<TS, TV, N8>(x, plane, channels, offs, taps, w, bias, y, ldy); break;
        }
    }

    /// <summary>
    /// TR × (3 vectors) outputs: y[r, 0 … 3L) = bias[r] + Σ_(c, t) w[(c·taps + t)·TR + r] · x[c·plane + offs[t] + (0 … 3L)]
    /// — one FMA chain per output starting from the bias (0 when <paramref name="bias"/> is null), taps in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FwdTile<TS, TV, TR>(float* x, nint plane, int channels, int* offs, int taps, float* w, float* bias, float* y, nint ldy)
        where TS : struct, ISimdOps<TV> where TV : struct where TR : struct, IConstInt
    {
        int l = TS.Lanes;
        int kw = 1;
        while (kw < taps && offs[kw] == offs[kw - 1] + 1) kw++;   // taps per kernel row (offsets i·Wp + j)
        TV a00 = TS.Zero, a01 = TS.Zero, a02 = TS.Zero, a10 = TS.Zero, a11 = TS.Zero, a12 = TS.Zero;
        TV a20 = TS.Zero, a21 = TS.Zero, a22 = TS.Zero, a30 = TS.Zero, a31 = TS.Zero, a32 = TS.Zero;
        TV a40 = TS.Zero, a41 = TS.Zero, a42 = TS.Zero, a50 = TS.Zero, a51 = TS.Zero, a52 = TS.Zero;
        TV a60 = TS.Zero, a61 = TS.Zero, a62 = TS.Zero, a70 = TS.Zero, a71 = TS.Zero, a72 = TS.Zero;
        if (bias != null)
        {
            a00 = a01 = a02 = TS.Splat(bias);
            if (TR.Value > 1) a10 = a11 = a12 = TS.Splat(bias + 1);
            if (TR.Value > 2) a20 = a21 = a22 = TS.Splat(bias + 2);
            if (TR.Value > 3) a30 = a31 = a32 = TS.Splat(bias + 3);
            if (TR.Value > 4) a40 = a41 = a42 = TS.Splat(bias + 4);
            if (TR.Value > 5) a50 = a51 = a52 = TS.Splat(bias + 5);
            if (TR.Value > 6) a60 = a61 = a62 = TS.Splat(bias + 6);
            if (TR.Value > 7) a70 = a71 = a72 = TS.Splat(bias + 7);
        }
        for (int c = 0; c < channels; c++, x += plane)
        {
            // The next channel's rows lie a plane away, a stride no hardware prefetcher follows: ask for the first and
            // last cache line of each of its tap rows (offs[t] for t = 0, kw, 2·kw, … start the rows; measured 0–10 %
            // faster on the HFN layers with one thread, hfb-bench nnkernels --threads 1)
            float* nx = x + plane;
            for (int t = 0; t < taps; t += kw) { Sse.Prefetch0(nx + offs[t]); Sse.Prefetch0(nx + offs[t] + 3 * l - 1); }
            for (int t = 0; t < taps; t++, w += TR.Value)
            {
                float* p = x + offs[t];
                TV b0 = TS.Load(p), b1 = TS.Load(p + l), b2 = TS.Load(p + 2 * l);
                TV a = TS.Splat(w);
                a00 = TS.Fma(a, b0, a00); a01 = TS.Fma(a, b1, a01); a02 = TS.Fma(a, b2, a02);
                if (TR.Value > 1) { a = TS.Splat(w + 1); a10 = TS.Fma(a, b0, a10); a11 = TS.Fma(a, b1, a11); a12 = TS.Fma(a, b2, a12); }
                if (TR.Value > 2) { a = TS.Splat(w + 2); a20 = TS.Fma(a, b0, a20); a21 = TS.Fma(a, b1, a21); a22 = TS.Fma(a, b2, a22); }
                if (TR.Value > 3) { a = TS.Splat(w + 3); a30 = TS.Fma(a, b0, a30); a31 = TS.Fma(a, b1, a31); a32 = TS.Fma(a, b2, a32); }
                if (TR.Value > 4) { a = TS.Splat(w + 4); a40 = TS.Fma(a, b0, a40); a41 = TS.Fma(a, b1, a41); a42 = TS.Fma(a, b2, a42); }
                if (TR.Value > 5) { a = TS.Splat(w + 5); a50 = TS.Fma(a, b0, a50); a51 = TS.Fma(a, b1, a51); a52 = TS.Fma(a, b2, a52); }
                if (TR.Value > 6) { a = TS.Splat(w + 6); a60 = TS.Fma(a, b0, a60); a61 = TS.Fma(a, b1, a61); a62 = TS.Fma(a, b2, a62); }
                if (TR.Value > 7) { a = TS.Splat(w + 7); a70 = TS.Fma(a, b0, a70); a71 = TS.Fma(a, b1, a71); a72 = TS.Fma(a, b2, a72); }
            }
        }
        TS.Store(y, a00); TS.Store(y + l, a01); TS.Store(y + 2 * l, a02);
        if (TR.Value > 1) { y += ldy; TS.Store(y, a10); TS.Store(y + l, a11); TS.Store(y + 2 * l, a12); }
        if (TR.Value > 2) { y += ldy; TS.Store(y, a20); TS.Store(y + l, a21); TS.Store(y + 2 * l, a22); }
        if (TR.Value > 3) { y += ldy; TS.Store(y, a30); TS.Store(y + l, a31); TS.Store(y + 2 * l, a32); }
        if (TR.Value > 4) { y += ldy; TS.Store(y, a40); TS.Store(y + l, a41); TS.Store(y + 2 * l, a42); }
        if (TR.Value > 5) { y += ldy; TS.Store(y, a50); TS.Store(y + l, a51); TS.Store(y + 2 * l, a52); }
        if (TR.Value > 6) { y += ldy; TS.Store(y, a60); TS.Store(y + l, a61); TS.Store(y + 2 * l, a62); }
        if (TR.Value > 7) { y += ldy; TS.Store(y, a70); TS.Store(y + l, a71); TS.Store(y + 2 * l, a72); }
    }

    // ------------------------------------------------------------------------------------------------ weight gradient

    /// <summary>
    /// Output rows per backward band: a multiple of 2 (whole pooling row pairs for the fused block) and of
    /// L / gcd(Wp, L) (so a band's first virtual index row·Wp is vector-aligned), sized so that a band of the padded
    /// input (C planes) and of dY (O planes) together take about 256 KiB — L2-resident while both gradients read them.
    /// The weight gradient's bands depend only on this (the fused and the separate backward give the same sums).
    /// </summary>
    internal static int BackwardBandRows(in Layout lay)
    {
        int l = Lanes, wp = lay.Wp;
        int step = l / Gcd(wp, l);
        if (step % 2 != 0) step *= 2;
        int rows = 65536 / ((lay.C + lay.O) * wp) / step * step;
        return Math.Clamp(rows, step, RoundUp(lay.OH, step));
    }

    private static int Gcd(int a, int b) { while (b != 0) (a, b) = (b, a % b); return a; }

    /// <summary>Virtual pixels per weight-gradient band (<see cref="BackwardBandRows"/> rows).</summary>
    private static int WeightBandQ(in Layout lay) => BackwardBandRows(lay) * lay.Wp;

    [ThreadStatic] private static float[]? t_vpart;

    private sealed class WeightJob : ImageJob
    {
        private Layout _lay;
        private float* _x, _dy, _partial, _shared;
        private int _bandQ;

        public void Set(in Layout lay, int batch, float* x, float* dy, float* partial, int bandQ)
        {
            _lay = lay; Batch = batch; _x = x; _dy = dy; _partial = partial; _bandQ = bandQ;
            BlockCount = (lay.O + TileRows - 1) / TileRows;
        }

        public void Clear() { _x = _dy = _partial = _shared = null; }

        private long PerImage => (long)_lay.O * _lay.K + _lay.O;

        public override void PrepareShared(int n)
        {
            _shared = Buffer(ref t_shared, (long)_lay.C * _lay.Plane);
            PadPlanes(_x + (long)n * _lay.C * _lay.H * _lay.W, _lay, _shared, 0, _lay.C);
        }

        protected override void Image(int n)
        {
            var pad = new LazyPad(_x + (long)n * _lay.C * _lay.H * _lay.W, _lay, Buffer(ref t_pad, (long)_lay.C * _lay.Plane));
            Blocks(ref pad, n, 0, BlockCount);
        }

        protected override void Block(int n, int block)
        {
            var pad = LazyPad.Ready(_shared, _lay);
            Blocks(ref pad, n, block, block + 1);
        }

        private void Blocks(ref LazyPad pad, int n, int b0, int b1)
        {
            if (Gemm.DefaultIsa == GemmIsa.Avx512) Run<Simd512, Vector512<float>>(ref pad, n, b0, b1);
            else if (WideTiles) Run<Simd256Wide, Vector256<float>>(ref pad, n, b0, b1);
            else Run<Simd256, Vector256<float>>(ref pad, n, b0, b1);
        }

        /// <summary>Output channels [b0·TileRows, b1·TileRows) of image n: lane-wise partial sums per (o, column) kept
        /// in a per-thread buffer across bands, their lanes summed once at the end.</summary>
        private void Run<TS, TV>(ref LazyPad lazy, int n, int b0, int b1) where TS : struct, ISimdOps<TV> where TV : struct
        {
            var lay = _lay;
            int mr = TS.TileRows, k = lay.K, ohw = lay.OH * lay.OW;
            int oFirst = b0 * mr, oEnd = Math.Min(lay.O, b1 * mr);
            float* part = _partial + n * PerImage;
            float* dy = _dy + (long)n * lay.O * ohw;
            for (int o = oFirst; o < oEnd; o++) part[(long)lay.O * k + o] = (float)BiasSum(dy + (long)o * ohw, lay.OH, lay.OW);
            WeightImage<TS, TV>(lay, ref lazy, null, 0, dy, oFirst, oEnd, part, _bandQ);
        }
    }

    /// <summary>
    /// Weight gradient of one image for output channels [oFirst, oEnd): part[o·K + col] = Σ_q dYv[o, q]·Xpad[col, q],
    /// band by band (<see cref="WeightRange{TS, TV}"/>), lanes summed at the end (<see cref="WeightFinish{TS, TV}"/>).
    /// </summary>
    internal static void WeightImage<TS, TV>(in Layout lay, ref LazyPad lazy, float* dyRows, nint ldDy, float* dyPlanes,
        int oFirst, int oEnd, float* part, int bq) where TS : struct, ISimdOps<TV> where TV : struct
    {
        long ldv = (long)lay.K * TS.Lanes;
        float* vp = Buffer(ref t_vpart, (oEnd - oFirst) * ldv);
        int qEnd = RoundUp(lay.OH * lay.Wp, TS.Lanes);
        for (int qa = 0; qa < qEnd; qa += bq)
        {
            int qb = Math.Min(qEnd, qa + bq);
            lazy.Through(qb + (lay.KH - 1) * lay.Wp + lay.KW);
            WeightRange<TS, TV>(lay, lazy.Planes, dyRows, ldDy, dyPlanes, oFirst, oEnd, vp, qa, qb, qa == 0, bq);
        }
        WeightFinish<TS, TV>(lay, vp, oFirst, oEnd, part);
    }

    /// <summary>
    /// One band [qa, qb) (vector-aligned) of the weight gradient: lane-wise sums per (o, column) stored to
    /// (<paramref name="first"/>) or added to the vector partials <paramref name="vp"/> (row o − oFirst, K·L floats).
    /// dYv rows are read in place from <paramref name="dyRows"/> (row o at dyRows + o·ldDy, in the virtual layout with
    /// zeros in the dropped columns) or, when that is null, copied for the band from the plain [O, OH, OW] planes
    /// <paramref name="dyPlanes"/> (into a buffer of TileRows × <paramref name="bq"/> floats).
    /// </summary>
    internal static void WeightRange<TS, TV>(in Layout lay, float* pad, float* dyRows, nint ldDy, float* dyPlanes,
        int oFirst, int oEnd, float* vp, int qa, int qb, bool first, int bq) where TS : struct, ISimdOps<TV> where TV : struct
    {
        int mr = TS.TileRows, l = TS.Lanes, k = lay.K, ohw = lay.OH * lay.OW;
        long ldv = (long)k * l;
        float* dyv = dyRows == null ? Buffer(ref t_band, (long)mr * bq) : null;
        int* offs = stackalloc int[lay.Taps];
        for (int i = 0; i < lay.KH; i++)
            for (int j = 0; j < lay.KW; j++) offs[i * lay.KW + j] = i * lay.Wp + j;
        float** cols = stackalloc float*[3];
        for (int o0 = oFirst; o0 < oEnd; o0 += mr)
        {
            int rows = Math.Min(mr, oEnd - o0);
            float* d;
            nint ld;
            if (dyRows != null) { d = dyRows + o0 * ldDy + qa; ld = ldDy; }
            else
            {
                for (int r = 0; r < rows; r++) VirtualRows(lay, dyPlanes + (long)(o0 + r) * ohw, qa, qb, dyv + (long)r * bq);
                d = dyv; ld = bq;
            }
            float* vrow = vp + (o0 - oFirst) * ldv;
            for (int s0 = 0; s0 < k; s0 += 3)
            {
                int ncol = Math.Min(3, k - s0);
                for (int s = 0; s < ncol; s++)
                {
                    int ks = s0 + s;
                    cols[s] = pad + (long)(ks / lay.Taps) * lay.Plane + offs[ks % lay.Taps] + qa;
                }
                WTile<TS, TV>(rows, ncol, d, ld, cols, (qb - qa) / l, vrow + (long)s0 * l, (nint)ldv, first);
            }
        }
    }

    /// <summary>part[o·K + col] = the lane sum of the vector partial (o, col), for o in [oFirst, oEnd).</summary>
    internal static void WeightFinish<TS, TV>(in Layout lay, float* vp, int oFirst, int oEnd, float* part) where TS : struct, ISimdOps<TV> where TV : struct
    {
        int k = lay.K, l = TS.Lanes;
        long ldv = (long)k * l;
        for (int o = oFirst; o < oEnd; o++)
        {
            float* v = vp + (o - oFirst) * ldv;
            float* dst = part + (long)o * k;
            for (int col = 0; col < k; col++) dst[col] = TS.Sum(TS.Load(v + (long)col * l));
        }
    }

    /// <summary>The vector-partial buffer of this thread for <paramref name="channels"/> output channels.</summary>
    internal static float* WeightPartials(in Layout lay, int channels) => Buffer(ref t_vpart, (long)channels * lay.K * Lanes);

    /// <summary>dYv[q − qa] for q in [qa, qb): dy[oy, ox] at q = oy·Wp + ox with ox &lt; OW, else 0.</summary>
    private static void VirtualRows(in Layout lay, float* dy, int qa, int qb, float* dst)
    {
        int wp = lay.Wp, ow = lay.OW;
        for (int q = qa; q < qb;)
        {
            int oy = q / wp, ox = q - oy * wp;
            int run = Math.Min(qb - q, wp - ox);
            if (oy >= lay.OH) { new Span<float>(dst + (q - qa), qb - q).Clear(); break; }
            int valid = Math.Clamp(ow - ox, 0, run);
            if (valid > 0) new ReadOnlySpan<float>(dy + oy * ow + ox, valid).CopyTo(new Span<float>(dst + (q - qa), valid));
            if (run > valid) new Span<float>(dst + (q - qa) + valid, run - valid).Clear();
            q += run;
        }
    }

    internal static void WTile<TS, TV>(int rows, int ncol, float* dy, nint ld, float** cols, int count, float* vp, nint ldv, bool first)
        where TS : struct, ISimdOps<TV> where TV : struct
    {
        if (ncol == 3)
            switch (rows)
            {
                case 1: WeightTile<TS, TV, N1, N3>(dy, ld, cols, count, vp, ldv, first); break;
                case 2: WeightTile<TS, TV, N2, N3>(dy, ld, cols, count, vp, ldv, first); break;
                case 3: WeightTile<TS, TV, N3, N3>(dy, ld, cols, count, vp, ldv, first); break;
                case 4: WeightTile<TS, TV, N4, N3>(dy, ld, cols, count, vp, ldv, first); break;
                case 5: WeightTile<TS, TV, N5, N3>(dy, ld, cols, count, vp, ldv, first); break;
                case 6: WeightTile<TS, TV, N6, N3>(dy, ld, cols, count, vp, ldv, first); break;
                case 7: WeightTile<TS, TV, N7, N3>(dy, ld, cols, count, vp, ldv, first); break;
                default: WeightTile<TS, TV, N8, N3>(dy, ld, cols, count, vp, ldv, first); break;
            }
        else
            // column tails (C·kh·kw not a multiple of 3): one row and column at a time
            for (int r = 0; r < rows; r++)
                for (int s = 0; s < ncol; s++)
                {
                    float* one = cols[s];
                    WeightTile<TS, TV, N1, N1>(dy + r * ld, ld, &one, count, vp + r * ldv + s * TS.Lanes, ldv, first);
                }
    }

    /// <summary>acc[r, s] = Σ_(v &lt; count) dy[r·ld + v·L + lane] · cols[s][v·L + lane] per lane (FMA chain in order of v),
    /// stored to (<paramref name="first"/>) or added to vp[r·ldv + s·L + lane].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightTile<TS, TV, TR, TC>(float* dy, nint ld, float** cols, int count, float* vp, nint ldv, bool first)
        where TS : struct, ISimdOps<TV> where TV : struct where TR : struct, IConstInt where TC : struct, IConstInt
    {
        int l = TS.Lanes;
        TV a00 = TS.Zero, a01 = TS.Zero, a02 = TS.Zero, a10 = TS.Zero, a11 = TS.Zero, a12 = TS.Zero;
        TV a20 = TS.Zero, a21 = TS.Zero, a22 = TS.Zero, a30 = TS.Zero, a31 = TS.Zero, a32 = TS.Zero;
        TV a40 = TS.Zero, a41 = TS.Zero, a42 = TS.Zero, a50 = TS.Zero, a51 = TS.Zero, a52 = TS.Zero;
        TV a60 = TS.Zero, a61 = TS.Zero, a62 = TS.Zero, a70 = TS.Zero, a71 = TS.Zero, a72 = TS.Zero;
        float* x0 = cols[0], x1 = TC.Value > 1 ? cols[1] : null, x2 = TC.Value > 2 ? cols[2] : null;
        for (int v = 0; v < count; v++)
        {
            nint off = (nint)v * l;
            TV b0 = TS.Load(x0 + off);
            TV b1 = TC.Value > 1 ? TS.Load(x1 + off) : TS.Zero;
            TV b2 = TC.Value > 2 ? TS.Load(x2 + off) : TS.Zero;
            float* d = dy + off;
            TV a = TS.Load(d);
            a00 = TS.Fma(a, b0, a00); if (TC.Value > 1) a01 = TS.Fma(a, b1, a01); if (TC.Value > 2) a02 = TS.Fma(a, b2, a02);
            if (TR.Value > 1) { a = TS.Load(d + ld); a10 = TS.Fma(a, b0, a10); a11 = TS.Fma(a, b1, a11); a12 = TS.Fma(a, b2, a12); }
            if (TR.Value > 2) { a = TS.Load(d + 2 * ld); a20 = TS.Fma(a, b0, a20); a21 = TS.Fma(a, b1, a21); a22 = TS.Fma(a, b2, a22); }
            if (TR.Value > 3) { a = TS.Load(d + 3 * ld); a30 = TS.Fma(a, b0, a30); a31 = TS.Fma(a, b1, a31); a32 = TS.Fma(a, b2, a32); }
            if (TR.Value > 4) { a = TS.Load(d + 4 * ld); a40 = TS.Fma(a, b0, a40); a41 = TS.Fma(a, b1, a41); a42 = TS.Fma(a, b2, a42); }
            if (TR.Value > 5) { a = TS.Load(d + 5 * ld); a50 = TS.Fma(a, b0, a50); a51 = TS.Fma(a, b1, a51); a52 = TS.Fma(a, b2, a52); }
            if (TR.Value > 6) { a = TS.Load(d + 6 * ld); a60 = TS.Fma(a, b0, a60); a61 = TS.Fma(a, b1, a61); a62 = TS.Fma(a, b2, a62); }
            if (TR.Value > 7) { a = TS.Load(d + 7 * ld); a70 = TS.Fma(a, b0, a70); a71 = TS.Fma(a, b1, a71); a72 = TS.Fma(a, b2, a72); }
        }
        Put<TS, TV>(vp, a00, first); if (TC.Value > 1) Put<TS, TV>(vp + l, a01, first); if (TC.Value > 2) Put<TS, TV>(vp + 2 * l, a02, first);
        if (TR.Value > 1) { vp += ldv; Put<TS, TV>(vp, a10, first); Put<TS, TV>(vp + l, a11, first); Put<TS, TV>(vp + 2 * l, a12, first); }
        if (TR.Value > 2) { vp += ldv; Put<TS, TV>(vp, a20, first); Put<TS, TV>(vp + l, a21, first); Put<TS, TV>(vp + 2 * l, a22, first); }
        if (TR.Value > 3) { vp += ldv; Put<TS, TV>(vp, a30, first); Put<TS, TV>(vp + l, a31, first); Put<TS, TV>(vp + 2 * l, a32, first); }
        if (TR.Value > 4) { vp += ldv; Put<TS, TV>(vp, a40, first); Put<TS, TV>(vp + l, a41, first); Put<TS, TV>(vp + 2 * l, a42, first); }
        if (TR.Value > 5) { vp += ldv; Put<TS, TV>(vp, a50, first); Put<TS, TV>(vp + l, a51, first); Put<TS, TV>(vp + 2 * l, a52, first); }
        if (TR.Value > 6) { vp += ldv; Put<TS, TV>(vp, a60, first); Put<TS, TV>(vp + l, a61, first); Put<TS, TV>(vp + 2 * l, a62, first); }
        if (TR.Value > 7) { vp += ldv; Put<TS, TV>(vp, a70, first); Put<TS, TV>(vp + l, a71, first); Put<TS, TV>(vp + 2 * l, a72, first); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TS, TV>(float* p, TV v, bool first) where TS : struct, ISimdOps<TV> where TV : struct
        => TS.Store(p, first ? v : TS.Add(TS.Load(p), v));
}
