using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Inference kernel of one Conv2d 3 × 3 (stride 1, padding 1) → ReLU → MaxPool2d(2) block with the batch norm already folded
/// into the weights and bias (<see cref="FoldedConvBlock"/>), for one image on the calling thread, by Winograd's minimal
/// filtering F(2 × 2, 3 × 3) (Lavin &amp; Gray 2016, "Fast Algorithms for Convolutional Neural Networks", §4):
/// <code>
///   Y = Aᵀ [ Σ_c (G g[o, c] Gᵀ) ⊙ (Bᵀ d[c] B) ] A          d = 4 × 4 input tile, g = 3 × 3 filter, Y = 2 × 2 outputs
///   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],  G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],  Aᵀ = [1 1 1 0; 0 1 −1 −1]
///   y[o, py, px] = max(0, b'[o] + max_(a,b ∈ {0,1}) Y_(py,px)[o, a, b])
/// </code>
/// 16 multiplies per 2 × 2 outputs and input channel instead of 36 (2.25× fewer FLOPs in the products). The 2 × 2 output
/// tile at (py, px) reads padded input rows 2py … 2py + 3 and columns 2px … 2px + 3 and is exactly the pooling window of
/// pooled output (py, px): the kernel computes the ⌊H/2⌋ × ⌊W/2⌋ tiles only (a last odd row or column of the convolution,
/// which no pooling window covers, is never formed — PyTorch's MaxPool2d floors the same way) and pools each tile as it leaves
/// the output transform; the full convolution output is never stored.
/// <para><b>Steps per band</b> of consecutive tiles (row-major over (py, px), a multiple of the register tile's width, sized by
/// <see cref="BandTiles"/> so the transformed input and the products stay in L2): (1) V[ξ, c, n] = (Bᵀ d B)[ξ] for every tile n
/// of the band (ξ = 4i + j; vectorised over 8 neighbouring tiles, on input rows split once per image into the padded row's even
/// and odd columns, so the tiles' overlapping columns are plain unaligned loads); (2) for each ξ, the product
/// M[ξ] = U[ξ] · V[ξ] ([O × C] · [C × tiles]) with a register tile of <see cref="ISimdOps{TV}.TileRows"/> output channels × 3
/// vectors (the shape of <see cref="ImplicitGemmConv"/>'s, one tap), ξ outermost so the slice V[ξ] stays in L1 while every output block reads
/// it; U[ξ] = (G g Gᵀ)[ξ] is packed once when the block is built (computed in double from the folded float weights, rounded
/// once); (3) the output transform, bias, ReLU and pooling into y.</para>
/// <para><b>Rounding.</b> The transforms add and subtract inputs (|Bᵀ d B| ≤ 4·max|d|) and the filter transform halves, so each
/// output is the same sum as the direct convolution evaluated in another order with a few more roundings: the difference is a
/// few float ulps of Σ_(c,i,j) |W'[o,c,i,j]|·|x| (the tests bound it by 2⁻¹⁸ times that sum; the direct path's own error is of the same
/// order). Non-finite inputs: a ±∞ in a tile can make that tile's outputs NaN (the transforms subtract inputs) where the direct
/// convolution gives ±∞; a NaN reaching a pooling window makes its output NaN on both paths (tested).</para>
/// Shapes: x [C, H, W] row-major, y [O, ⌊H/2⌋, ⌊W/2⌋]; needs H, W ≥ 2. Scratch (split input, transformed input, products) is
/// per thread and reused: no allocation after a thread's first call at the largest shape.
/// </summary>
internal static unsafe class WinogradConvReluPool
{
    /// <summary>Transformed-filter elements per (o, c): the 4 × 4 tile.</summary>
    public const int Xi = 16;

    /// <summary>Target floats of transformed input (16·C·tiles) and of products (16·O·tiles) per band: 192 KiB each, L2-resident.</summary>
    private const int BandBudgetFloats = 48 * 1024;

    /// <summary>Target floats of one ξ slice of the transformed input (C·tiles): 16 KiB, L1-resident.</summary>
    private const int SliceBudgetFloats = 4 * 1024;

    [ThreadStatic] private static float[]? t_split, t_v, t_m;

    /// <summary>Whether the kernel runs on this machine (AVX2 + FMA, or AVX-512).</summary>
    public static bool IsSupported => Avx2.IsSupported && Gemm.DefaultIsa != GemmIsa.Scalar;

    /// <summary>
    /// U = G g Gᵀ for every (o, c) of the folded weights w [O, C, 3, 3], packed for <see cref="Forward"/>: for ξ, the block of
    /// output channels at o0 (rows = min(TileRows, O − o0)) holds <c>packed[ξ·O·C + o0·C + c·rows + r] = U[o0 + r, c][ξ]</c>
    /// (<see cref="ImplicitGemmConv"/>'s forward packing with one tap). Computed in double, rounded once. O·C·16 floats.
    /// </summary>
    public static void PackFilters(ReadOnlySpan<float> w, int o, int c, Span<float> packed)
    {
        int mr = ImplicitGemmConv.TileRows;
        Span<double> u = stackalloc double[Xi];
        for (int oc = 0; oc < o; oc++)
        {
            int o0 = oc / mr * mr, rows = Math.Min(mr, o - o0), r = oc - o0;
            for (int ci = 0; ci < c; ci++)
            {
                FilterTransform(w.Slice((oc * c + ci) * 9, 9), u);
                for (int xi = 0; xi < Xi; xi++) packed[xi * o * c + o0 * c + ci * rows + r] = (float)u[xi];
            }
        }
    }

    /// <summary>U = G g Gᵀ (4 × 4, row-major) of one 3 × 3 filter g (row-major), in double.</summary>
    internal static void FilterTransform(ReadOnlySpan<float> g, Span<double> u)
    {
        Span<double> t = stackalloc double[12];   // G g: 4 × 3
        for (int j = 0; j < 3; j++)
        {
            double g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
            t[j] = g0;
            t[3 + j] = 0.5 * (g0 + g1 + g2);
            t[6 + j] = 0.5 * (g0 - g1 + g2);
            t[9 + j] = g2;
        }
        for (int i = 0; i < 4; i++)
        {
            double a0 = t[3 * i], a1 = t[3 * i + 1], a2 = t[3 * i + 2];
            u[4 * i] = a0;
            u[4 * i + 1] = 0.5 * (a0 + a1 + a2);
            u[4 * i + 2] = 0.5 * (a0 - a1 + a2);
            u[4 * i + 3] = a2;
        }
    }

    /// <summary>
    /// Tiles per band for C input and O output channels: a multiple of the register tile's width nr (3 vectors) such that the
    /// transformed input (16·C·tiles floats) and the products (16·O·tiles) each stay within ≈ 48 K floats (192 KiB, L2), and one
    /// ξ slice of the transformed input (C·tiles) within ≈ 4 K floats (16 KiB, L1 while every output block reads it); at least nr.
    /// </summary>
    public static int BandTiles(int c, int o, int nr)
    {
        int tiles = Math.Min(BandBudgetFloats / (Xi * Math.Max(c, o)), SliceBudgetFloats / c);
        return Math.Max(nr, tiles / nr * nr);
    }

    /// <summary>One image: x [C, H, W] → y [O, ⌊H/2⌋, ⌊W/2⌋] (see the type). <paramref name="packed"/> from
    /// <see cref="PackFilters"/>; <paramref name="bandTiles"/> &gt; 0 overrides <see cref="BandTiles"/> (rounded up to nr).</summary>
    public static void Forward(int c, int o, int h, int w, float* packed, float* bias, float* x, float* y, int bandTiles = 0)
    {
        if (Gemm.DefaultIsa == GemmIsa.Avx512) Run<Simd512, Vector512<float>>(c, o, h, w, packed, bias, x, y, bandTiles);
        else if (ImplicitGemmConv.WideTiles) Run<Simd256Wide, Vector256<float>>(c, o, h, w, packed, bias, x, y, bandTiles);
        else Run<Simd256, Vector256<float>>(c, o, h, w, packed, bias, x, y, bandTiles);
    }

    private static void Run<TS, TV>(int c, int o, int h, int w, float* packed, float* bias, float* x, float* y, int bandTiles)
        where TS : struct, ISimdOps<TV> where TV : struct
    {
        int poh = h / 2, pow = w / 2, mr = TS.TileRows, nr = 3 * TS.Lanes;
        // split input: per channel, padded rows p ∈ [0, 2·poh + 2), each as [even columns | odd columns] of the padded row
        int s = ImplicitGemmConv.RoundUp(pow, 8) + 8, rowsP = 2 * poh + 2;
        long chSplit = (long)rowsP * 2 * s;
        float* split = ImplicitGemmConv.Buffer(ref t_split, c * chSplit);
        for (int ci = 0; ci < c; ci++)
            for (int p = 0; p < rowsP; p++)
            {
                float* ev = split + ci * chSplit + (long)p * 2 * s;
                int r = p - 1;
                if ((uint)r < (uint)h) SplitRow(x + ((long)ci * h + r) * w, w, ev, ev + s, s);
                else new Span<float>(ev, 2 * s).Clear();
            }
        int total = poh * pow;
        int nb = bandTiles > 0 ? ImplicitGemmConv.RoundUp(bandTiles, nr) : BandTiles(c, o, nr);
        nb = Math.Min(nb, ImplicitGemmConv.RoundUp(total, nr));
        int ld = nb + 8;   // row stride of V and M (the tail store of a short segment may write 8 floats from its start)
        long vXi = (long)c * ld, mXi = (long)o * ld;
        float* v = ImplicitGemmConv.Buffer(ref t_v, Xi * vXi);
        float* m = ImplicitGemmConv.Buffer(ref t_m, Xi * mXi);
        long oc = (long)o * c;
        for (int t0 = 0; t0 < total; t0 += nb)
        {
            int t1 = Math.Min(total, t0 + nb), nt = t1 - t0, ntPad = ImplicitGemmConv.RoundUp(nt, nr);
            // (1) V = Bᵀ d B for tiles [t0, t1), row segment by row segment
            for (int ci = 0; ci < c; ci++)
            {
                float* sc = split + ci * chSplit;
                for (int py = t0 / pow; py * pow < t1; py++)
                {
                    int pa = Math.Max(0, t0 - py * pow), pb = Math.Min(pow, t1 - py * pow);
                    InputSegment(sc + (long)2 * py * 2 * s, s, pa, pb, v + (long)ci * ld + (py * pow + pa - t0), vXi);
                }
                if (ntPad > nt)   // columns the register tiles read past the band: zeros (finite, no denormal slow paths)
                    for (int xi = 0; xi < Xi; xi++) new Span<float>(v + xi * vXi + (long)ci * ld + nt, ntPad - nt).Clear();
            }
            // (2) M[ξ] = U[ξ] · V[ξ] for every output block, ξ outermost: the ξ slice of V (C × tiles) stays in L1
            for (int xi = 0; xi < Xi; xi++)
            {
                float* vx = v + xi * vXi, mx = m + xi * mXi, ux = packed + xi * oc;
                for (int o0 = 0; o0 < o; o0 += mr)
                {
                    int rows = Math.Min(mr, o - o0);
                    for (int q = 0; q < ntPad; q += nr)
                        Product<TS, TV>(rows, vx + q, ld, c, ux + (long)o0 * c, mx + (long)o0 * ld + q, ld);
                }
            }
            // (3) Y = Aᵀ M A, bias, ReLU, pooling
            for (int oo = 0; oo < o; oo++)
            {
                float* yo = y + (long)oo * total, mo = m + (long)oo * ld;
                for (int py = t0 / pow; py * pow < t1; py++)
                {
                    int pa = Math.Max(0, t0 - py * pow), pb = Math.Min(pow, t1 - py * pow);
                    OutputSegment(mo + (py * pow + pa - t0), mXi, pa, pb, bias[oo], yo + (long)py * pow);
                }
            }
        }
    }

    private static void Product<TS, TV>(int rows, float* v, nint ldv, int channels, float* u, float* m, nint ldm)
        where TS : struct, ISimdOps<TV> where TV : struct
    {
        switch (rows)
        {
            case 1: ProductTile<TS, TV, N1>(v, ldv, channels, u, m, ldm); break;
            case 2: ProductTile<TS, TV, N2>(v, ldv, channels, u, m, ldm); break;
            case 3: ProductTile<TS, TV, N3>(v, ldv, channels, u, m, ldm); break;
            case 4: ProductTile<TS, TV, N4>(v, ldv, channels, u, m, ldm); break;
            case 5: ProductTile<TS, TV, N5>(v, ldv, channels, u, m, ldm); break;
            case 6: ProductTile<TS, TV, N6>(v, ldv, channels, u, m, ldm); break;
            case 7: ProductTile<TS, TV, N7>(v, ldv, channels, u, m, ldm); break;
            default: ProductTile<TS, TV, N8>(v, ldv, channels, u, m, ldm); break;
        }
    }

    /// <summary>
    /// TR × (3 vectors) of one ξ product: m[r, 0 … 3L) = Σ_c u[c·TR + r] · v[c·ldv + (0 … 3L)] — <see cref="ImplicitGemmConv"/>'s
    /// register tile with one tap and without its next-channel prefetch (the ξ slice of V is L1-resident, and with K = C the
    /// per-channel prefetches were a fifth of the loop's instructions).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ProductTile<TS, TV, TR>(float* v, nint ldv, int channels, float* u, float* m, nint ldm)
        where TS : struct, ISimdOps<TV> where TV : struct where TR : struct, IConstInt
    {
        int l = TS.Lanes;
        TV a00 = TS.Zero, a01 = TS.Zero, a02 = TS.Zero, a10 = TS.Zero, a11 = TS.Zero, a12 = TS.Zero;
        TV a20 = TS.Zero, a21 = TS.Zero, a22 = TS.Zero, a30 = TS.Zero, a31 = TS.Zero, a32 = TS.Zero;
        TV a40 = TS.Zero, a41 = TS.Zero, a42 = TS.Zero, a50 = TS.Zero, a51 = TS.Zero, a52 = TS.Zero;
        TV a60 = TS.Zero, a61 = TS.Zero, a62 = TS.Zero, a70 = TS.Zero, a71 = TS.Zero, a72 = TS.Zero;
        for (int c = 0; c < channels; c++, v += ldv, u += TR.Value)
        {
            TV b0 = TS.Load(v), b1 = TS.Load(v + l), b2 = TS.Load(v + 2 * l);
            TV a = TS.Splat(u);
            a00 = TS.Fma(a, b0, a00); a01 = TS.Fma(a, b1, a01); a02 = TS.Fma(a, b2, a02);
            if (TR.Value > 1) { a = TS.Splat(u + 1); a10 = TS.Fma(a, b0, a10); a11 = TS.Fma(a, b1, a11); a12 = TS.Fma(a, b2, a12); }
            if (TR.Value > 2) { a = TS.Splat(u + 2); a20 = TS.Fma(a, b0, a20); a21 = TS.Fma(a, b1, a21); a22 = TS.Fma(a, b2, a22); }
            if (TR.Value > 3) { a = TS.Splat(u + 3); a30 = TS.Fma(a, b0, a30); a31 = TS.Fma(a, b1, a31); a32 = TS.Fma(a, b2, a32); }
            if (TR.Value > 4) { a = TS.Splat(u + 4); a40 = TS.Fma(a, b0, a40); a41 = TS.Fma(a, b1, a41); a42 = TS.Fma(a, b2, a42); }
            if (TR.Value > 5) { a = TS.Splat(u + 5); a50 = TS.Fma(a, b0, a50); a51 = TS.Fma(a, b1, a51); a52 = TS.Fma(a, b2, a52); }
            if (TR.Value > 6) { a = TS.Splat(u + 6); a60 = TS.Fma(a, b0, a60); a61 = TS.Fma(a, b1, a61); a62 = TS.Fma(a, b2, a62); }
            if (TR.Value > 7) { a = TS.Splat(u + 7); a70 = TS.Fma(a, b0, a70); a71 = TS.Fma(a, b1, a71); a72 = TS.Fma(a, b2, a72); }
        }
        TS.Store(m, a00); TS.Store(m + l, a01); TS.Store(m + 2 * l, a02);
        if (TR.Value > 1) { m += ldm; TS.Store(m, a10); TS.Store(m + l, a11); TS.Store(m + 2 * l, a12); }
        if (TR.Value > 2) { m += ldm; TS.Store(m, a20); TS.Store(m + l, a21); TS.Store(m + 2 * l, a22); }
        if (TR.Value > 3) { m += ldm; TS.Store(m, a30); TS.Store(m + l, a31); TS.Store(m + 2 * l, a32); }
        if (TR.Value > 4) { m += ldm; TS.Store(m, a40); TS.Store(m + l, a41); TS.Store(m + 2 * l, a42); }
        if (TR.Value > 5) { m += ldm; TS.Store(m, a50); TS.Store(m + l, a51); TS.Store(m + 2 * l, a52); }
        if (TR.Value > 6) { m += ldm; TS.Store(m, a60); TS.Store(m + l, a61); TS.Store(m + 2 * l, a62); }
        if (TR.Value > 7) { m += ldm; TS.Store(m, a70); TS.Store(m + l, a71); TS.Store(m + 2 * l, a72); }
    }

    /// <summary>One input row of w floats into the padded row's even columns ev[k] = x[2k − 1] and odd columns od[k] = x[2k]
    /// (zero outside [0, w)), k ∈ [0, s).</summary>
    private static void SplitRow(float* x, int w, float* ev, float* od, int s)
    {
        ev[0] = 0f;
        int k = 0;
        for (; 2 * k + 16 <= w; k += 8)
        {
            var a = Vector256.Load(x + 2 * k);
            var b = Vector256.Load(x + 2 * k + 8);
            BnReluPoolSimd.Deinterleave(a, b, out var even, out var odd);
            Vector256.Store(even, od + k);       // x[2k], x[2k+2], …
            Vector256.Store(odd, ev + k + 1);    // x[2k+1], … = ev[k+1], …
        }
        for (; k < s; k++)
        {
            od[k] = 2 * k < w ? x[2 * k] : 0f;
            if (k + 1 < s) ev[k + 1] = 2 * k + 1 < w ? x[2 * k + 1] : 0f;
        }
    }

    /// <summary>V = Bᵀ d B for tiles px ∈ [pa, pb) of one tile row of one channel: padded rows 2py … 2py + 3 start at
    /// <paramref name="rows"/> (each [even | odd], 2s floats); element ξ of tile pa + n is stored at <c>v[ξ·vXi + n]</c>.
    /// A segment shorter than a vector writes 8 values (the extra ones are overwritten by later segments or never read).</summary>
    private static void InputSegment(float* rows, int s, int pa, int pb, float* v, long vXi)
    {
        int len = pb - pa;
        if (len < 8)
        {
            InputStep(rows, s, pa, v, vXi);
            return;
        }
        int px = pa;
        for (; px + 8 <= pb; px += 8) InputStep(rows, s, px, v + (px - pa), vXi);
        if (px < pb) InputStep(rows, s, pb - 8, v + (pb - 8 - pa), vXi);   // the overlap is written again with the same values
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputStep(float* rows, int s, int px, float* v, long vXi)
    {
        long rs = 2L * s;
        float* r0 = rows + px, r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
        // column slots of the 4 × 4 tile: d[·, 0] = even[px], d[·, 1] = odd[px], d[·, 2] = even[px + 1], d[·, 3] = odd[px + 1]
        // Bᵀ d (rows): t0 = d0 − d2, t1 = d1 + d2, t2 = d2 − d1, t3 = d1 − d3, per column slot
        Rows(r0, r1, r2, r3, 0, out var t00, out var t10, out var t20, out var t30);
        Rows(r0, r1, r2, r3, s, out var t01, out var t11, out var t21, out var t31);
        Rows(r0, r1, r2, r3, 1, out var t02, out var t12, out var t22, out var t32);
        Rows(r0, r1, r2, r3, s + 1, out var t03, out var t13, out var t23, out var t33);
        // (Bᵀ d) B (columns): v_i0 = t_i0 − t_i2, v_i1 = t_i1 + t_i2, v_i2 = t_i2 − t_i1, v_i3 = t_i1 − t_i3
        Cols(t00, t01, t02, t03, v, vXi);
        Cols(t10, t11, t12, t13, v + 4 * vXi, vXi);
        Cols(t20, t21, t22, t23, v + 8 * vXi, vXi);
        Cols(t30, t31, t32, t33, v + 12 * vXi, vXi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rows(float* r0, float* r1, float* r2, float* r3, int off, out Vector256<float> t0, out Vector256<float> t1, out Vector256<float> t2, out Vector256<float> t3)
    {
        var d0 = Vector256.Load(r0 + off);
        var d1 = Vector256.Load(r1 + off);
        var d2 = Vector256.Load(r2 + off);
        var d3 = Vector256.Load(r3 + off);
        t0 = d0 - d2; t1 = d1 + d2; t2 = d2 - d1; t3 = d1 - d3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Cols(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3, float* v, long vXi)
    {
        Vector256.Store(a0 - a2, v);
        Vector256.Store(a1 + a2, v + vXi);
        Vector256.Store(a2 - a1, v + 2 * vXi);
        Vector256.Store(a1 - a3, v + 3 * vXi);
    }

    /// <summary>Output transform, bias, ReLU and pooling of one output channel's tiles px ∈ [pa, pb) of one tile row: products
    /// of tile pa + n at <c>m[ξ·mXi + n]</c> → <c>y[px]</c>.</summary>
    private static void OutputSegment(float* m, long mXi, int pa, int pb, float bias, float* y)
    {
        var b = Vector256.Create(bias);
        int len = pb - pa;
        if (len < 8)
        {
            float* tmp = stackalloc float[8];
            Vector256.Store(OutputStep(m, mXi, b), tmp);
            new ReadOnlySpan<float>(tmp, len).CopyTo(new Span<float>(y + pa, len));
            return;
        }
        int px = pa;
        for (; px + 8 <= pb; px += 8) Vector256.Store(OutputStep(m + (px - pa), mXi, b), y + px);
        if (px < pb) Vector256.Store(OutputStep(m + (pb - 8 - pa), mXi, b), y + pb - 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> OutputStep(float* m, long mXi, Vector256<float> bias)
    {
        // Aᵀ M (rows): s0_j = m0j + m1j + m2j, s1_j = m1j − m2j − m3j
        var m00 = Vector256.Load(m); var m01 = Vector256.Load(m + mXi); var m02 = Vector256.Load(m + 2 * mXi); var m03 = Vector256.Load(m + 3 * mXi);
        var m10 = Vector256.Load(m + 4 * mXi); var m11 = Vector256.Load(m + 5 * mXi); var m12 = Vector256.Load(m + 6 * mXi); var m13 = Vector256.Load(m + 7 * mXi);
        var m20 = Vector256.Load(m + 8 * mXi); var m21 = Vector256.Load(m + 9 * mXi); var m22 = Vector256.Load(m + 10 * mXi); var m23 = Vector256.Load(m + 11 * mXi);
        var m30 = Vector256.Load(m + 12 * mXi); var m31 = Vector256.Load(m + 13 * mXi); var m32 = Vector256.Load(m + 14 * mXi); var m33 = Vector256.Load(m + 15 * mXi);
        var s00 = m00 + m10 + m20; var s01 = m01 + m11 + m21; var s02 = m02 + m12 + m22; var s03 = m03 + m13 + m23;
        var s10 = m10 - m20 - m30; var s11 = m11 - m21 - m31; var s12 = m12 - m22 - m32; var s13 = m13 - m23 - m33;
        // (Aᵀ M) A (columns): y_a0 = s_a0 + s_a1 + s_a2, y_a1 = s_a1 − s_a2 − s_a3
        var y00 = s00 + s01 + s02; var y01 = s01 - s02 - s03;
        var y10 = s10 + s11 + s12; var y11 = s11 - s12 - s13;
        // max over the window, then the bias (fl(a + b) is monotone in a, so this equals the maximum of the biased outputs),
        // then ReLU; Vector256.Max is IEEE 754 maximum (a NaN propagates, as in the direct path's pooling rule)
        var best = Vector256.Max(Vector256.Max(y00, y01), Vector256.Max(y10, y11)) + bias;
        return Vector256.Max(best, Vector256<float>.Zero);
    }
}
