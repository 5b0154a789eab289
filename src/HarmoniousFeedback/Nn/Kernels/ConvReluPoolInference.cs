using System.Runtime.Intrinsics;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Inference kernel of one Conv2d (stride 1, padding below the kernel size) → ReLU → MaxPool2d(2) block with the batch
/// norm already folded into the weights and bias, for one image on the calling thread:
/// <c>y[o, py, px] = max(0, max_(a,b ∈ {0,1}) (b'[o] + Σ_(c,i,j) W'[o, c, i, j]·x[c, 2py + a − ph + i, 2px + b − pw + j]))</c>.
/// The convolution runs as <see cref="ImplicitGemmConv"/>'s implicit GEMM on the zero-padded planes (same microkernel,
/// same FMA order per output: bias first, then channels and taps in order), a band of <c>rows</c> output rows at a time
/// into an L1-sized buffer; the band is pooled there (<see cref="BnReluPoolSimd.ForwardRow"/> with scale 1, shift 0,
/// i.e. ReLU and the first-maximum rule) and never stored at full size. Per band, each block of TileRows output channels
/// sweeps the band with its packed weights (TileRows·C·kh·kw floats) in L1 while the band of padded input streams from
/// L2 (measured on the HFN encoder's layers at batch 1, one thread: 73–88 % of the FMA peak for C ≥ 16; the other loop
/// order — every channel block per input tile — was no faster).
/// Scratch (the padded planes and the band buffer) is per thread and reused: no allocation after a thread's first call
/// for the largest shape. Results do not depend on the band size (each output's FMA chain is the same).
/// </summary>
internal static unsafe class ConvReluPoolInference
{
    /// <summary>Whether the vector kernel handles <paramref name="g"/> on this machine (else use <see cref="ForwardScalar"/>).</summary>
    public static bool Supports(in Conv2dGeometry g) =>
        ImplicitGemmConv.Supports(g) && BnReluPoolSimd.IsSupported && g.OutH >= 2 && g.OutW >= 2;

    [ThreadStatic] private static float[]? t_pad, t_band;

    /// <summary>The layout <see cref="Forward"/> expects for <paramref name="g"/> (batch ignored).</summary>
    public static ImplicitGemmConv.Layout Layout(in Conv2dGeometry g) =>
        new(g.InChannels, g.OutChannels, g.Height, g.Width, g.KernelH, g.KernelW, g.PadH, g.PadW, ImplicitGemmConv.Lanes, ImplicitGemmConv.TileRows);

    /// <summary>Packs folded weights [O, C, kh, kw] for <see cref="Forward"/> (<see cref="ImplicitGemmConv.PackForward"/>): O·C·kh·kw floats.</summary>
    public static void Pack(float* w, in ImplicitGemmConv.Layout lay, float* packed) => ImplicitGemmConv.PackForward(w, lay, packed, ImplicitGemmConv.TileRows);

    /// <summary>Band height in output rows for a layout: even, and small enough that the band buffer (TileRows channels ×
    /// band) stays within ≈ 4 K floats (16 KiB, L1-resident while it is pooled).</summary>
    public static int BandRows(in ImplicitGemmConv.Layout lay)
    {
        int rows = 4096 / Math.Max(1, ImplicitGemmConv.TileRows * lay.Wp) / 2 * 2;
        return Math.Clamp(rows, 2, Math.Max(2, lay.OH / 2 * 2));
    }

    /// <summary>One image: x [C, H, W] → y [O, ⌊OH/2⌋, ⌊OW/2⌋] (see the type).</summary>
    public static void Forward(in ImplicitGemmConv.Layout lay, float* packed, float* bias, float* x, float* y, int bandRows)
    {
        if (Gemm.DefaultIsa == GemmIsa.Avx512) Run<Simd512, Vector512<float>>(lay, packed, bias, x, y, bandRows);
        else if (ImplicitGemmConv.WideTiles) Run<Simd256Wide, Vector256<float>>(lay, packed, bias, x, y, bandRows);
        else Run<Simd256, Vector256<float>>(lay, packed, bias, x, y, bandRows);
    }

    private static void Run<TS, TV>(in ImplicitGemmConv.Layout lay, float* packed, float* bias, float* x, float* y, int bandRows)
        where TS : struct, ISimdOps<TV> where TV : struct
    {
        int mr = TS.TileRows, nr = lay.Nr, k = lay.K, o = lay.O, wp = lay.Wp;
        int poh = lay.OH / 2, pow = lay.OW / 2, ohUsed = 2 * poh;
        float* pad = ImplicitGemmConv.Buffer(ref t_pad, (long)lay.C * lay.Plane);
        ImplicitGemmConv.PadPlanes(x, lay, pad, 0, lay.C);
        bandRows = Math.Max(2, bandRows / 2 * 2);
        long ldc = ImplicitGemmConv.RoundUp(bandRows * wp, nr) + 2 * nr;   // tiles cover [qa, qb) from an nr-aligned start
        float* conv = ImplicitGemmConv.Buffer(ref t_band, mr * ldc);
        int* offs = stackalloc int[lay.Taps];
        for (int i = 0; i < lay.KH; i++)
            for (int j = 0; j < lay.KW; j++) offs[i * lay.KW + j] = i * wp + j;
        for (int r0 = 0; r0 < ohUsed; r0 += bandRows)
        {
            int r1 = Math.Min(ohUsed, r0 + bandRows);
            int qa = r0 * wp, qb = r1 * wp;
            int qs = qa / nr * nr, qe = ImplicitGemmConv.RoundUp(qb, nr);
            for (int o0 = 0; o0 < o; o0 += mr)
            {
                int rows = Math.Min(mr, o - o0);
                float* wpk = packed + (long)o0 * k;
                for (int q = qs; q < qe; q += nr)
                    ImplicitGemmConv.Tile<TS, TV>(rows, pad + q, lay.Plane, lay.C, offs, lay.Taps, wpk, bias == null ? null : bias + o0, conv + (q - qs), (nint)ldc);
                for (int r = 0; r < rows; r++) PoolRows(conv + r * ldc + (qa - qs), wp, r0, r1, y + (long)(o0 + r) * poh * pow, pow);
            }
        }
    }

    /// <summary>Pools output rows [r0, r1) (an even count; row r0 at <paramref name="band"/>, rows Wp apart) into pooled rows r0/2 … of one channel.</summary>
    private static void PoolRows(float* band, int wp, int r0, int r1, float* yChannel, int pow)
    {
        for (int oy = r0; oy + 1 < r1; oy += 2)
        {
            float* a = band + (long)(oy - r0) * wp;
            BnReluPoolSimd.ForwardRow(a, a + wp, yChannel + (long)(oy / 2) * pow, pow, 1f, 0f);
        }
    }

    /// <summary>
    /// Scalar reference of <see cref="Forward"/> (and the path on machines without AVX2): the same formula with a plain
    /// direct convolution in double-free float arithmetic (bias, then channels and taps in order, one multiply-add each),
    /// ReLU and PyTorch's max-pool rule (first maximum; NaN wins). x [C, H, W], weight [O, C, kh, kw], bias [O] (or empty)
    /// → y [O, ⌊OH/2⌋, ⌊OW/2⌋].
    /// </summary>
    public static void ForwardScalar(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y)
    {
        int c = g.InChannels, h = g.Height, w = g.Width, o = g.OutChannels, kh = g.KernelH, kw = g.KernelW, ph = g.PadH, pw = g.PadW;
        int poh = g.OutH / 2, pow = g.OutW / 2;
        for (int oc = 0; oc < o; oc++)
            for (int py = 0; py < poh; py++)
                for (int px = 0; px < pow; px++)
                {
                    float best = 0f;
                    bool first = true;
                    for (int a = 0; a < 2; a++)
                        for (int b = 0; b < 2; b++)
                        {
                            int oy = 2 * py + a, ox = 2 * px + b;
                            float s = bias.IsEmpty ? 0f : bias[oc];
                            for (int ci = 0; ci < c; ci++)
                                for (int i = 0; i < kh; i++)
                                {
                                    int iy = oy - ph + i;
                                    if ((uint)iy >= (uint)h) continue;
                                    for (int j = 0; j < kw; j++)
                                    {
                                        int ix = ox - pw + j;
                                        if ((uint)ix >= (uint)w) continue;
                                        s = MathF.FusedMultiplyAdd(weight[((oc * c + ci) * kh + i) * kw + j], x[(ci * h + iy) * w + ix], s);
                                    }
                                }
                            float z = s > 0f || float.IsNaN(s) ? s : 0f;
                            if (first || z > best || float.IsNaN(z)) { best = z; first = false; }
                        }
                    y[(oc * poh + py) * pow + px] = best;
                }
    }
}
