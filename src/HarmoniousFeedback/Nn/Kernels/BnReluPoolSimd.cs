using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// AVX2 kernels of the fused BatchNorm → ReLU → MaxPool2d(2) block (<see cref="F.BatchNormReluMaxPool2x2"/>): one pass
/// over each pair of input rows handles 8 pooling windows per step. The 16 inputs of a row are de-interleaved into
/// the windows' left and right elements (a, b on the upper row, c, d on the lower), so every window rule is lane-wise:
/// <list type="bullet">
/// <item>forward: z = max(x·scale + shift, 0) with BatchNorm's rounding (multiply, then add; no FMA) and
/// <see cref="MathF.Max(float, float)"/>'s results (NaN propagates, +0 rather than −0), vertical maxima max(z_a, z_c),
/// max(z_b, z_d), then the right one when it is greater or NaN — the scalar path's order, so the pooled values are
/// bit-identical to it and to the three separate ops;</item>
/// <item>backward: the element the window's gradient goes to is the first of a, b, c, d whose z equals the pooled
/// maximum m, and only when m &gt; 0 (ReLU passes it); Σg and Σg·x over those elements in double (4 lanes, fixed
/// order); then dx = β·x + γ everywhere, plus α·g on the selected element (the selection is recomputed rather than
/// stored, which costs arithmetic but no memory traffic).</item>
/// </list>
/// Windows left over at the end of a row (OW not a multiple of 8) are handled by one more step over the row's last 8
/// windows (overlapping windows are rewritten with the same values, or masked out of sums), or by scalar code with the
/// same rules when a row has fewer than 8; elements no window covers (odd H or W) get β·x + γ. Results are independent of the thread split (planes or channels are the units).
/// </summary>
internal static unsafe class BnReluPoolSimd
{
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>Pooled output of planes [p0, p0 + pn) of x [planes, h, w] (plane p has channel p mod c).</summary>
    public static void Forward(float[] xd, float[] scale, float[] shift, float[] y, int p0, int pn, int c, int h, int w, int oh, int ow)
    {
        fixed (float* xp = xd, yp = y)
        {
            for (int plane = p0; plane < p0 + pn; plane++)
            {
                int ch = plane % c;
                for (int oy = 0; oy < oh; oy++)
                {
                    float* r0 = xp + ((long)plane * h + 2 * oy) * w;
                    ForwardRow(r0, r0 + w, yp + ((long)plane * oh + oy) * ow, ow, scale[ch], shift[ch]);
                }
            }
        }
    }

    /// <summary>One output row: yo[ox] = pooled z over rows r0, r1, columns 2·ox and 2·ox + 1.</summary>
    public static void ForwardRow(float* r0, float* r1, float* yo, int ow, float sc, float sh)
    {
        var vsc = Vector256.Create(sc); var vsh = Vector256.Create(sh);
        int ox = 0;
        for (; ox + 8 <= ow; ox += 8) ForwardStep(r0, r1, yo, ox, vsc, vsh);
        // a short tail: one more step over the last 8 windows (the overlap is written again with the same values)
        if (ox < ow && ow >= 8) { ForwardStep(r0, r1, yo, ow - 8, vsc, vsh); ox = ow; }
        for (; ox < ow; ox++)
        {
            float a = MathF.Max(ZScalar(r0[2 * ox], sc, sh), ZScalar(r1[2 * ox], sc, sh));
            float b = MathF.Max(ZScalar(r0[2 * ox + 1], sc, sh), ZScalar(r1[2 * ox + 1], sc, sh));
            yo[ox] = b > a || float.IsNaN(b) ? b : a;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardStep(float* r0, float* r1, float* yo, int ox, Vector256<float> vsc, Vector256<float> vsh)
    {
        Deinterleave(Avx.LoadVector256(r0 + 2 * ox), Avx.LoadVector256(r0 + 2 * ox + 8), out var xa, out var xb);
        Deinterleave(Avx.LoadVector256(r1 + 2 * ox), Avx.LoadVector256(r1 + 2 * ox + 8), out var xc, out var xd);
        var va = MaxOfRelu(Z(xa, vsc, vsh), Z(xc, vsc, vsh));
        var vb = MaxOfRelu(Z(xb, vsc, vsh), Z(xd, vsc, vsh));
        Avx.Store(yo + ox, PickRight(va, vb));
    }

    /// <summary>Σg and Σg·x over the selected elements of channel <paramref name="ch"/>, images in order.</summary>
    public static (double SumG, double SumGX) SelectedSums(float[] xd, float[] y, float[] g, int ch, int n, int c, float sc, float sh,
        int h, int w, int oh, int ow)
    {
        var acc = new SelectionSums();
        fixed (float* xp = xd, yp = y, gp = g)
        {
            for (int b = 0; b < n; b++)
            {
                long plane = (long)b * c + ch;
                for (int oy = 0; oy < oh; oy++)
                {
                    float* r0 = xp + (plane * h + 2 * oy) * w;
                    acc.AddRow(r0, r0 + w, yp + (plane * oh + oy) * ow, gp + (plane * oh + oy) * ow, ow, sc, sh);
                }
            }
        }
        return acc.Result;
    }

    /// <summary>Running Σg and Σg·x over selected window elements: 4-lane double accumulators (fixed order) plus a
    /// scalar part for the windows at row ends.</summary>
    public struct SelectionSums
    {
        private Vector256<double> _s1lo, _s1hi, _s2lo, _s2hi;
        private double _t1, _t2;

        public readonly (double SumG, double SumGX) Result => (Sum(_s1lo) + Sum(_s1hi) + _t1, Sum(_s2lo) + Sum(_s2hi) + _t2);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Step(float* r0, float* r1, float* yo, float* go, int ox, Vector256<float> vsc, Vector256<float> vsh, Vector256<float> lanes)
        {
            Select(r0 + 2 * ox, r1 + 2 * ox, Avx.LoadVector256(yo + ox), vsc, vsh,
                out var xa, out var xb, out var xc, out var xdd, out var selA, out var selB, out var selC, out var valid);
            valid = Avx.And(valid, lanes);
            // windows that send no gradient contribute 0·0 (their inputs may be NaN: 0·NaN would poison the sum)
            var xs = Avx.And(Avx.BlendVariable(Avx.BlendVariable(Avx.BlendVariable(xdd, xc, selC), xb, selB), xa, selA), valid);
            var gv = Avx.And(Avx.LoadVector256(go + ox), valid);
            var glo = Avx.ConvertToVector256Double(gv.GetLower()); var ghi = Avx.ConvertToVector256Double(gv.GetUpper());
            _s1lo = Avx.Add(_s1lo, glo); _s1hi = Avx.Add(_s1hi, ghi);
            _s2lo = Fma.MultiplyAdd(glo, Avx.ConvertToVector256Double(xs.GetLower()), _s2lo);
            _s2hi = Fma.MultiplyAdd(ghi, Avx.ConvertToVector256Double(xs.GetUpper()), _s2hi);
        }

        /// <summary>Adds the windows of one output row (input rows r0, r1; pooled maxima yo; their gradients go).</summary>
        public void AddRow(float* r0, float* r1, float* yo, float* go, int ow, float sc, float sh)
        {
            var vsc = Vector256.Create(sc); var vsh = Vector256.Create(sh);
            int ox = 0;
            for (; ox + 8 <= ow; ox += 8) Step(r0, r1, yo, go, ox, vsc, vsh, Vector256<float>.AllBitsSet);
            if (ox < ow && ow >= 8)
            {
                // a short tail: the last 8 windows again, counting only the lanes not summed yet
                var fresh = Avx2.CompareGreaterThan(Vector256.Create(ow - 8) + Vector256<int>.Indices, Vector256.Create(ox - 1)).AsSingle();
                Step(r0, r1, yo, go, ow - 8, vsc, vsh, fresh);
                ox = ow;
            }
            for (; ox < ow; ox++)
            {
                int k = SelectScalar(r0 + 2 * ox, r1 + 2 * ox, yo[ox], sc, sh);
                if (k < 0) continue;
                float gv = go[ox];
                _t1 += gv;
                _t2 += (double)gv * (k < 2 ? r0 : r1)[2 * ox + (k & 1)];
            }
        }
    }

    /// <summary>dx of one plane: β·x + γ everywhere (BatchNorm's rounding: multiply, then add), plus α·g on each
    /// window's selected element.</summary>
    public static void Scatter(float[] xd, float[] y, float[] g, float[] dx, int plane, float sc, float sh, float alpha, float beta, float gamma,
        int h, int w, int oh, int ow)
    {
        fixed (float* xp = xd, yp = y, gp = g, dp = dx)
        {
            float* xpl = xp + (long)plane * h * w, dpl = dp + (long)plane * h * w;
            for (int oy = 0; oy < oh; oy++)
            {
                float* r0 = xpl + 2 * oy * w, d0 = dpl + 2 * oy * w;
                ScatterRow(r0, r0 + w, yp + ((long)plane * oh + oy) * ow, gp + ((long)plane * oh + oy) * ow, d0, d0 + w, w, ow,
                    sc, sh, alpha, beta, gamma);
            }
            // an odd last row belongs to no window
            if (2 * oh < h) BaseRow(xpl + (long)(h - 1) * w, dpl + (long)(h - 1) * w, w, beta, gamma);
        }
    }

    /// <summary>dx for input rows r0, r1 (w elements each): β·x + γ, plus α·g on each window's selected element; an
    /// odd last column (w &gt; 2·ow) belongs to no window.</summary>
    public static void ScatterRow(float* r0, float* r1, float* yo, float* go, float* d0, float* d1, int w, int ow,
        float sc, float sh, float alpha, float beta, float gamma)
    {
        var vsc = Vector256.Create(sc); var vsh = Vector256.Create(sh);
        var va = Vector256.Create(alpha); var vb = Vector256.Create(beta); var vg = Vector256.Create(gamma);
        int ox = 0;
        for (; ox + 8 <= ow; ox += 8) ScatterStep(r0, r1, yo, go, d0, d1, ox, vsc, vsh, va, vb, vg);
        // a short tail: the last 8 windows again (the overlap is written again with the same values)
        if (ox < ow && ow >= 8) { ScatterStep(r0, r1, yo, go, d0, d1, ow - 8, vsc, vsh, va, vb, vg); ox = ow; }
        for (; ox < ow; ox++)
        {
            int k = SelectScalar(r0 + 2 * ox, r1 + 2 * ox, yo[ox], sc, sh);
            float agv = alpha * go[ox];
            for (int e = 0; e < 4; e++)
            {
                float* src = (e < 2 ? r0 : r1) + 2 * ox + (e & 1);
                float* dst = (e < 2 ? d0 : d1) + 2 * ox + (e & 1);
                float v = *src * beta + gamma;
                *dst = e == k ? v + agv : v;
            }
        }
        if (2 * ow < w) { d0[w - 1] = r0[w - 1] * beta + gamma; d1[w - 1] = r1[w - 1] * beta + gamma; }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScatterStep(float* r0, float* r1, float* yo, float* go, float* d0, float* d1, int ox, Vector256<float> vsc, Vector256<float> vsh,
        Vector256<float> va, Vector256<float> vb, Vector256<float> vg)
    {
        Select(r0 + 2 * ox, r1 + 2 * ox, Avx.LoadVector256(yo + ox), vsc, vsh,
            out var xa, out var xb, out var xc, out var xdd, out var selA, out var selB, out var selC, out var valid);
        var selD = Avx.AndNot(Avx.Or(Avx.Or(selA, selB), selC), valid);
        var ag = Avx.Multiply(va, Avx.LoadVector256(go + ox));
        var da = Base(xa, vb, vg); var db = Base(xb, vb, vg); var dc = Base(xc, vb, vg); var dd = Base(xdd, vb, vg);
        da = Avx.BlendVariable(da, Avx.Add(da, ag), selA);
        db = Avx.BlendVariable(db, Avx.Add(db, ag), selB);
        dc = Avx.BlendVariable(dc, Avx.Add(dc, ag), selC);
        dd = Avx.BlendVariable(dd, Avx.Add(dd, ag), selD);
        Interleave(da, db, out var lo0, out var hi0);
        Interleave(dc, dd, out var lo1, out var hi1);
        Avx.Store(d0 + 2 * ox, lo0); Avx.Store(d0 + 2 * ox + 8, hi0);
        Avx.Store(d1 + 2 * ox, lo1); Avx.Store(d1 + 2 * ox + 8, hi1);
    }

    /// <summary>d = β·x + γ over one row (elements no pooling window covers).</summary>
    public static void BaseRow(float* x, float* d, int w, float beta, float gamma)
    {
        for (int i = 0; i < w; i++) d[i] = x[i] * beta + gamma;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /// <summary>Window selection for 8 windows: which of a, b, c, d (first equal to the pooled m) receives the
    /// gradient, and whether any does (m &gt; 0). Also returns the de-interleaved inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Select(float* p0, float* p1, Vector256<float> m, Vector256<float> vsc, Vector256<float> vsh,
        out Vector256<float> xa, out Vector256<float> xb, out Vector256<float> xc, out Vector256<float> xd,
        out Vector256<float> selA, out Vector256<float> selB, out Vector256<float> selC, out Vector256<float> valid)
    {
        Deinterleave(Avx.LoadVector256(p0), Avx.LoadVector256(p0 + 8), out xa, out xb);
        Deinterleave(Avx.LoadVector256(p1), Avx.LoadVector256(p1 + 8), out xc, out xd);
        valid = Avx.CompareGreaterThan(m, Vector256<float>.Zero);
        var ea = Avx.CompareEqual(Z(xa, vsc, vsh), m);
        var eb = Avx.CompareEqual(Z(xb, vsc, vsh), m);
        var ec = Avx.CompareEqual(Z(xc, vsc, vsh), m);
        selA = Avx.And(ea, valid);
        selB = Avx.And(Avx.AndNot(ea, eb), valid);
        selC = Avx.And(Avx.AndNot(Avx.Or(ea, eb), ec), valid);
    }

    /// <summary>The scalar rule: index 0–3 (a, b, c, d) of the element the window's gradient goes to, or −1.</summary>
    private static int SelectScalar(float* p0, float* p1, float m, float sc, float sh)
    {
        if (!(m > 0f)) return -1;
        if (ZScalar(p0[0], sc, sh) == m) return 0;
        if (ZScalar(p0[1], sc, sh) == m) return 1;
        if (ZScalar(p1[0], sc, sh) == m) return 2;
        return 3;
    }

    /// <summary>max(x·sc + sh, 0) with <see cref="MathF.Max(float, float)"/>'s result: vmaxps(0, t) returns t when t is NaN
    /// and for t = −0 (its second operand), and adding +0 turns −0 into +0 and leaves everything else unchanged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Z(Vector256<float> x, Vector256<float> sc, Vector256<float> sh)
        => Avx.Add(Avx.Max(Vector256<float>.Zero, Avx.Add(Avx.Multiply(x, sc), sh)), Vector256<float>.Zero);

    /// <summary><see cref="MathF.Max(float, float)"/> of two ReLU outputs (never −0): vmaxps returns its second operand
    /// when either is NaN, so a NaN first operand is put back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MaxOfRelu(Vector256<float> a, Vector256<float> b)
        => Avx.BlendVariable(Avx.Max(a, b), a, Avx.CompareUnordered(a, a));

    private static float ZScalar(float x, float sc, float sh) => MathF.Max(x * sc + sh, 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Base(Vector256<float> x, Vector256<float> beta, Vector256<float> gamma) => Avx.Add(Avx.Multiply(x, beta), gamma);

    /// <summary>The right element when it is greater or NaN, else the left one (the pooling scan's rule).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> PickRight(Vector256<float> left, Vector256<float> right)
        => Avx.BlendVariable(left, right, Avx.Or(Avx.CompareGreaterThan(right, left), Avx.CompareUnordered(right, right)));

    /// <summary>[e0 o0 e1 o1 … e7 o7] in two vectors → evens [e0 … e7] and odds [o0 … o7].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Deinterleave(Vector256<float> v0, Vector256<float> v1, out Vector256<float> even, out Vector256<float> odd)
    {
        var e = Avx.Shuffle(v0, v1, 0b10_00_10_00);   // per 128-bit half: v0[0] v0[2] v1[0] v1[2]
        var o = Avx.Shuffle(v0, v1, 0b11_01_11_01);
        even = Avx2.Permute4x64(e.AsDouble(), 0b11_01_10_00).AsSingle();
        odd = Avx2.Permute4x64(o.AsDouble(), 0b11_01_10_00).AsSingle();
    }

    /// <summary>Inverse of <see cref="Deinterleave"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave(Vector256<float> even, Vector256<float> odd, out Vector256<float> v0, out Vector256<float> v1)
    {
        var lo = Avx.UnpackLow(even, odd);    // e0 o0 e1 o1 | e4 o4 e5 o5
        var hi = Avx.UnpackHigh(even, odd);   // e2 o2 e3 o3 | e6 o6 e7 o7
        v0 = Avx.Permute2x128(lo, hi, 0x20);
        v1 = Avx.Permute2x128(lo, hi, 0x31);
    }

    private static double Sum(Vector256<double> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
}

/// <summary>
/// dY of a convolution followed by BatchNorm → ReLU → MaxPool2d(2), produced image by image straight into the padded
/// planes the fused convolution backward reads (<see cref="ImplicitGemmConv.Backward"/>): dY = β·y + γ, plus α·g on
/// each window's selected element (<see cref="BnReluPoolSimd.ScatterRow"/>), per channel coefficients. y is the
/// convolution output [N, O, OH, OW], pooled / gradPooled the block's output and its gradient [N, O, OH/2, OW/2].
/// </summary>
internal sealed unsafe class BnPoolConvGradSource(float* y, float* pooled, float* gradPooled, float* scale, float* shift,
    float* alpha, float* beta, float* gamma) : ConvGradSource
{
    public override int FillRows(int n, float* planes, in ImplicitGemmConv.Layout lay, int pr0, int pr1, double* db)
    {
        int o = lay.C, oh = lay.H, ow = lay.W, wp = lay.Wp, ph = lay.PH, pw = lay.PW, poh = oh / 2, pow = ow / 2, hp = oh + 2 * ph;
        // data rows oy = pr − ph, extended to whole pooling row pairs (a call always starts at a pair boundary)
        int oyA = Math.Clamp(pr0 - ph, 0, oh), oyB = Math.Clamp(pr1 - ph, 0, oh);
        if (oyB > oyA && oyB % 2 == 1 && oyB < oh) oyB++;
        int end = Math.Max(pr1, oyB > oyA ? oyB + ph : pr1);
        for (int ch = 0; ch < o; ch++)
        {
            float* plane = planes + (long)ch * lay.Plane;
            float* src = y + ((long)n * o + ch) * oh * ow;
            float* po = pooled + ((long)n * o + ch) * poh * pow, go = gradPooled + ((long)n * o + ch) * poh * pow;
            for (int pr = pr0; pr < Math.Min(end, ph); pr++) new Span<float>(plane + (long)pr * wp, wp).Clear();
            for (int oy = oyA; oy < oyB; oy += 2)
            {
                float* d0 = plane + (long)(oy + ph) * wp + pw;
                bool pair = oy + 1 < oh;
                if (pair)
                    BnReluPoolSimd.ScatterRow(src + (long)oy * ow, src + (long)(oy + 1) * ow, po + (long)(oy / 2) * pow, go + (long)(oy / 2) * pow,
                        d0, d0 + wp, ow, pow, scale[ch], shift[ch], alpha[ch], beta[ch], gamma[ch]);
                else
                    BnReluPoolSimd.BaseRow(src + (long)oy * ow, d0, ow, beta[ch], gamma[ch]);   // odd last row: no window
                for (int r = 0; r < (pair ? 2 : 1); r++)
                {
                    float* d = d0 + (long)r * wp;
                    for (int z = 0; z < pw; z++) { d[z - pw] = 0f; d[ow + z] = 0f; }
                    db[ch] += RowTotal(d, ow);   // row by row in order, as the bias gradient sums everywhere
                }
            }
            for (int pr = Math.Max(pr0, oh + ph); pr < end; pr++) new Span<float>(plane + (long)pr * wp, wp).Clear();
        }
        if (end >= hp) ClearSlack(planes, lay);
        return end;
    }
}
