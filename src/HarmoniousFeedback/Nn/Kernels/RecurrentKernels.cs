using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Fused single-layer, single-direction LSTM and GRU passes over a whole sequence. The input projection for all
/// time steps is one GEMM; each step adds one recurrent GEMM (against W_hh packed once per pass,
/// <see cref="Gemm.SgemmPackedB"/>, bit-identical to packing it per step) and SIMD gate math; the backward (BPTT) is one pass
/// whose weight gradients are again single GEMMs over all steps. Buffers are allocated once per call, never
/// inside the time loop; the large per-sequence buffers (tape, gate gradients) are rented from
/// <see cref="ArrayPool{T}.Shared"/> and returned once the backward pass (or a no-grad forward) is done, so steady
/// training reuses them instead of allocating ~T·B·4H floats per call. Layouts are time-major: x [T, B, I],
/// gates [T, B, G·H]. Rented arrays may be longer than needed; every use is bounded by T, B, H explicitly.
/// </summary>
internal static class RecurrentKernels
{
    private static float[] Rent(int n) => ArrayPool<float>.Shared.Rent(n);
    private static void Return(float[]? a) { if (a is not null) ArrayPool<float>.Shared.Return(a); }
    /// <summary>Saved forward state of one LSTM layer-direction, consumed by <see cref="LstmBackward"/>.</summary>
    internal sealed class LstmTape
    {
        public required int T, B, I, H;
        public required bool Reverse;
        public required int[]? Lengths;
        public required float[] Gates;  // [T, 4, B, H] activated i, f, g, o: step t's gate k is the block (t·4 + k)·B·H
        public required float[] XH;     // [T, B, I + H] x_t beside the state h entering time t (one operand for dW_ih and dW_hh)
        public required float[] CPrev;  // [T, B, H]
        public required float[] TanhC;  // [T, B, H] tanh(c_t)

        /// <summary>Returns the pooled buffers; the tape must not be used afterwards.</summary>
        public void Release()
        {
            Return(Gates); Return(XH); Return(CPrev); Return(TanhC);
            Gates = XH = CPrev = TanhC = null!;
        }
    }

    private static bool Active(int[]? lengths, int t, int b) => lengths is null || t < lengths[b];

    /// <summary>
    /// True when <see cref="TensorPrimitives"/> takes its widest vector path for a span of <paramref name="n"/> floats,
    /// the same path it takes for any longer span: each element's result is then the same whether a function is
    /// applied row by row or to a whole [B × H] block (the elementwise functions are lane-wise).
    /// </summary>
    private static bool WidestVectorPath(int n) =>
        n >= (Vector512.IsHardwareAccelerated ? Vector512<float>.Count
            : Vector256.IsHardwareAccelerated ? Vector256<float>.Count
            : Vector128.IsHardwareAccelerated ? Vector128<float>.Count : int.MaxValue);

    /// <summary>
    /// out [T+2, B, H]: rows 0..T−1 = y (0 where t ≥ length), row T = h_n, row T+1 = c_n.
    /// z = W_ih·x_t + b_ih + W_hh·h + b_hh split (i, f, g, o); c' = σ(f)⊙c + σ(i)⊙tanh(g); h' = σ(o)⊙tanh(c').
    /// Each step's pre-activations are computed row-major [B, 4H] (one recurrent GEMM), then copied gate-major into
    /// the tape, where σ, tanh and the cell update run over whole [B × H] blocks (a few long <see cref="TensorPrimitives"/>
    /// calls per step instead of eight short ones per batch row). Rows past their length are computed too and then
    /// reset (state carried, y and gates 0). For H below the widest vector width the activations run per row on the
    /// row-major block instead (short spans take TensorPrimitives' narrower or scalar path, which a block would not).
    /// </summary>
    public static LstmTape LstmForward(float[] x, int T, int B, int I, int H, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        float[] wih, float[] whh, float[] bih, float[] bhh, bool reverse, int[]? lengths, float[] output)
    {
        int g4 = 4 * H, bh = B * H;
        var pre = Rent(T * B * g4);  // [T, B, 4H] pre-activations, row-major
        Gemm.Sgemm(false, true, T * B, g4, I, 1f, x, I, wih, I, 0f, pre, g4);
        var bias = new float[g4];
        TensorPrimitives.Add(bih, bhh, bias);
        for (int r = 0; r < T * B; r++) TensorPrimitives.Add(pre.AsSpan(r * g4, g4), bias, pre.AsSpan(r * g4, g4));
        var gates = Rent(T * B * g4);
        int ih = I + H;
        var xh = Rent(T * B * ih);
        for (int r = 0; r < T * B; r++) x.AsSpan(r * I, I).CopyTo(xh.AsSpan(r * ih, I));
        var cPrev = Rent(T * bh);
        var tanhC = Rent(T * bh);
        var h = new float[bh];
        var c = new float[bh];
        if (!h0.IsEmpty) h0.CopyTo(h);
        if (!c0.IsEmpty) c0.CopyTo(c);
        var whhPacked = Rent(Gemm.PackedBLength(H, g4));  // W_hhᵀ packed once for all T steps
        Gemm.PackB(true, H, g4, whh, H, whhPacked);
        bool blocks = WidestVectorPath(H);
        for (int s = 0; s < T; s++)
        {
            int t = reverse ? T - 1 - s : s;
            for (int b = 0; b < B; b++) h.AsSpan(b * H, H).CopyTo(xh.AsSpan((t * B + b) * ih + I, H));
            c.CopyTo(cPrev, t * bh);
            var pt = pre.AsSpan(t * B * g4, B * g4);
            Gemm.SgemmPackedB(false, true, B, g4, H, 1f, h, H, whh, H, whhPacked, 1f, pt, g4);
            var gt = gates.AsSpan(t * B * g4, B * g4);
            var y = output.AsSpan(t * bh, bh);
            var tc = tanhC.AsSpan(t * bh, bh);
            if (blocks)
            {
                for (int b = 0; b < B; b++)
                    for (int k = 0; k < 4; k++) pt.Slice(b * g4 + k * H, H).CopyTo(gt.Slice(k * bh + b * H, H));
                var gi = gt.Slice(0, bh); var gf = gt.Slice(bh, bh); var gg = gt.Slice(2 * bh, bh); var go = gt.Slice(3 * bh, bh);
                TensorPrimitives.Sigmoid(gt.Slice(0, 2 * bh), gt.Slice(0, 2 * bh));
                TensorPrimitives.Tanh(gg, gg);
                TensorPrimitives.Sigmoid(go, go);
                TensorPrimitives.Multiply(gf, c, c);            // f ⊙ c
                TensorPrimitives.MultiplyAdd(gi, gg, c, c);     // + i ⊙ g
                TensorPrimitives.Tanh(c, tc);
                TensorPrimitives.Multiply(go, tc, h);
                h.CopyTo(y);
                if (lengths is not null)
                    for (int b = 0; b < B; b++)
                    {
                        if (Active(lengths, t, b)) continue;
                        // State carried through unchanged; y and the gates are 0 (as without blocks).
                        xh.AsSpan((t * B + b) * ih + I, H).CopyTo(h.AsSpan(b * H, H));
                        cPrev.AsSpan(t * bh + b * H, H).CopyTo(c.AsSpan(b * H, H));
                        y.Slice(b * H, H).Clear();
                        for (int k = 0; k < 4; k++) gt.Slice(k * bh + b * H, H).Clear();
                    }
                continue;
            }
            for (int b = 0; b < B; b++)
            {
                if (!Active(lengths, t, b))
                {
                    y.Slice(b * H, H).Clear();
                    for (int k = 0; k < 4; k++) gt.Slice(k * bh + b * H, H).Clear();
                    continue;
                }
                var row = pt.Slice(b * g4, g4);
                TensorPrimitives.Sigmoid(row.Slice(0, 2 * H), row.Slice(0, 2 * H));
                TensorPrimitives.Tanh(row.Slice(2 * H, H), row.Slice(2 * H, H));
                TensorPrimitives.Sigmoid(row.Slice(3 * H, H), row.Slice(3 * H, H));
                var cb = c.AsSpan(b * H, H);
                var tcb = tc.Slice(b * H, H);
                TensorPrimitives.Multiply(row.Slice(H, H), cb, cb);                       // f ⊙ c
                TensorPrimitives.MultiplyAdd(row.Slice(0, H), row.Slice(2 * H, H), cb, cb); // + i ⊙ g
                TensorPrimitives.Tanh(cb, tcb);
                var hb = h.AsSpan(b * H, H);
                TensorPrimitives.Multiply(row.Slice(3 * H, H), tcb, hb);
                hb.CopyTo(y.Slice(b * H, H));
                for (int k = 0; k < 4; k++) row.Slice(k * H, H).CopyTo(gt.Slice(k * bh + b * H, H));
            }
        }
        Return(whhPacked);
        Return(pre);
        h.CopyTo(output, T * bh);
        c.CopyTo(output, (T + 1) * bh);
        return new LstmTape { T = T, B = B, I = I, H = H, Reverse = reverse, Lengths = lengths, Gates = gates, XH = xh, CPrev = cPrev, TanhC = tanhC };
    }

    /// <summary>
    /// BPTT for <see cref="LstmForward"/> given g [T+2, B, H] (dy, dh_n, dc_n). Writes dX [T, B, I] (if not null),
    /// dh0/dc0 [B, H], and the weight gradients dWih [4H, I], dWhh [4H, H], db [4H] (the same for b_ih and b_hh).
    /// dh0, dc0, dWih and dWhh may be longer (pooled arrays): only their first B·H, 4H·I, 4H·H elements are written.
    /// </summary>
    public static void LstmBackward(LstmTape tp, float[] x, float[] wih, float[] whh, ReadOnlySpan<float> g,
        float[]? dX, float[] dh0, float[] dc0, float[] dWih, float[] dWhh, float[] db)
    {
        int T = tp.T, B = tp.B, I = tp.I, H = tp.H, g4 = 4 * H, bh = B * H;
        var dGates = Rent(T * B * g4);
        if (tp.Lengths is not null) dGates.AsSpan(0, T * B * g4).Clear();  // rows past a length are never written
        var dh = dh0; var dc = dc0;
        g.Slice(T * bh, bh).CopyTo(dh);
        g.Slice((T + 1) * bh, bh).CopyTo(dc);
        var dhRec = new float[bh];
        var whhPacked = Rent(Gemm.PackedBLength(g4, H));  // W_hh packed once for all T steps
        Gemm.PackB(false, g4, H, whh, H, whhPacked);
        for (int s = T - 1; s >= 0; s--)
        {
            int t = tp.Reverse ? T - 1 - s : s;
            var dGt = dGates.AsSpan(t * B * g4, B * g4);
            var dy = g.Slice(t * bh, bh);
            for (int b = 0; b < B; b++)
            {
                if (!Active(tp.Lengths, t, b)) continue;  // state carried through; dGates row stays 0
                int o = t * bh + b * H, gb = t * B * g4 + b * H;
                LstmCellBackward(tp.Gates.AsSpan(gb, H), tp.Gates.AsSpan(gb + bh, H), tp.Gates.AsSpan(gb + 2 * bh, H), tp.Gates.AsSpan(gb + 3 * bh, H),
                    tp.TanhC.AsSpan(o, H), tp.CPrev.AsSpan(o, H), dy.Slice(b * H, H), dh.AsSpan(b * H, H), dc.AsSpan(b * H, H), dGt.Slice(b * g4, g4));
            }
            Gemm.SgemmPackedB(false, false, B, H, g4, 1f, dGt, g4, whh, H, whhPacked, 0f, dhRec, H);
            if (tp.Lengths is null) dhRec.CopyTo(dh, 0);
            else
                for (int b = 0; b < B; b++)
                    if (Active(tp.Lengths, t, b)) dhRec.AsSpan(b * H, H).CopyTo(dh.AsSpan(b * H, H));
        }
        Return(whhPacked);
        int ih = I + H;
        if (I > 1 && H > 1)
        {
            // [dW_ih | dW_hh] = dGatesᵀ·[x | h_prev] as one product: dGates is packed once instead of twice, and every
            // element is the same fused multiply-add chain over the same T·B terms and K blocks as in two products.
            var dW = Rent(g4 * ih);
            Gemm.Sgemm(true, false, g4, ih, T * B, 1f, dGates, g4, tp.XH, ih, 0f, dW, ih);
            for (int r = 0; r < g4; r++)
            {
                dW.AsSpan(r * ih, I).CopyTo(dWih.AsSpan(r * I, I));
                dW.AsSpan(r * ih + I, H).CopyTo(dWhh.AsSpan(r * H, H));
            }
            Return(dW);
        }
        else
        {
            // A single column takes Sgemm's matrix–vector path (another summation order): keep the two products.
            Gemm.Sgemm(true, false, g4, I, T * B, 1f, dGates, g4, tp.XH, ih, 0f, dWih, I);
            Gemm.Sgemm(true, false, g4, H, T * B, 1f, dGates, g4, tp.XH.AsSpan(I), ih, 0f, dWhh, H);
        }
        if (dX is not null) Gemm.Sgemm(false, false, T * B, I, g4, 1f, dGates, g4, wih, I, 0f, dX, I);
        Array.Clear(db);
        for (int r = 0; r < T * B; r++) TensorPrimitives.Add(db, dGates.AsSpan(r * g4, g4), db);
        Return(dGates);
    }

    /// <summary>
    /// One cell's backward for one batch row (SIMD). dh ← dh + dy is the total dL/dh_t; on return dc holds dL/dc_{t−1}
    /// and dz holds the pre-activation gradients (i, f, g, o).
    /// </summary>
    private static void LstmCellBackward(ReadOnlySpan<float> gi, ReadOnlySpan<float> gf, ReadOnlySpan<float> gg, ReadOnlySpan<float> go,
        ReadOnlySpan<float> tc, ReadOnlySpan<float> cprev, ReadOnlySpan<float> dy, Span<float> dh, Span<float> dc, Span<float> dz)
    {
        int H = tc.Length, k = 0;
        var zi = dz.Slice(0, H); var zf = dz.Slice(H, H); var zg = dz.Slice(2 * H, H); var zo = dz.Slice(3 * H, H);
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            int w = Vector<float>.Count;
            for (; k <= H - w; k += w)
            {
                var i = new Vector<float>(gi.Slice(k)); var f = new Vector<float>(gf.Slice(k));
                var gv = new Vector<float>(gg.Slice(k)); var o = new Vector<float>(go.Slice(k));
                var t = new Vector<float>(tc.Slice(k)); var cp = new Vector<float>(cprev.Slice(k));
                var dhv = new Vector<float>(dh.Slice(k)) + new Vector<float>(dy.Slice(k));
                var dcv = new Vector<float>(dc.Slice(k)) + dhv * o * (one - t * t);
                (dcv * f).CopyTo(dc.Slice(k));
                (dcv * gv * i * (one - i)).CopyTo(zi.Slice(k));
                (dcv * cp * f * (one - f)).CopyTo(zf.Slice(k));
                (dcv * i * (one - gv * gv)).CopyTo(zg.Slice(k));
                (dhv * t * o * (one - o)).CopyTo(zo.Slice(k));
            }
        }
        for (; k < H; k++)
        {
            float i = gi[k], f = gf[k], gv = gg[k], o = go[k], t = tc[k];
            float dhv = dh[k] + dy[k];
            float dcv = dc[k] + dhv * o * (1 - t * t);
            dc[k] = dcv * f;
            zi[k] = dcv * gv * i * (1 - i);
            zf[k] = dcv * cprev[k] * f * (1 - f);
            zg[k] = dcv * i * (1 - gv * gv);
            zo[k] = dhv * t * o * (1 - o);
        }
    }

    /// <summary>Saved forward state of one GRU layer-direction.</summary>
    internal sealed class GruTape
    {
        public required int T, B, I, H;
        public required bool Reverse;
        public required int[]? Lengths;
        public required float[] Gates;  // [T, B, 3H] activated r, z, n
        public required float[] HhN;    // [T, B, H] W_hn·h + b_hn
        public required float[] HPrev;  // [T, B, H]

        /// <summary>Returns the pooled buffers; the tape must not be used afterwards.</summary>
        public void Release()
        {
            Return(Gates); Return(HhN); Return(HPrev);
            Gates = HhN = HPrev = null!;
        }
    }

    /// <summary>
    /// GRU (PyTorch gate order r, z, n): r = σ(W_ir x + b_ir + W_hr h + b_hr), z likewise,
    /// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h. out [T+1, B, H] (y rows then h_n).
    /// </summary>
    public static GruTape GruForward(float[] x, int T, int B, int I, int H, ReadOnlySpan<float> h0,
        float[] wih, float[] whh, float[] bih, float[] bhh, bool reverse, int[]? lengths, float[] output)
    {
        int g3 = 3 * H, bh = B * H;
        var gates = Rent(T * B * g3);
        Gemm.Sgemm(false, true, T * B, g3, I, 1f, x, I, wih, I, 0f, gates, g3);
        for (int r = 0; r < T * B; r++) TensorPrimitives.Add(gates.AsSpan(r * g3, g3), bih, gates.AsSpan(r * g3, g3));
        var hhN = Rent(T * bh);
        var hPrev = Rent(T * bh);
        var hh = new float[B * g3];
        var h = new float[bh];
        if (!h0.IsEmpty) h0.CopyTo(h);
        var whhPacked = Rent(Gemm.PackedBLength(H, g3));  // W_hhᵀ packed once for all T steps
        Gemm.PackB(true, H, g3, whh, H, whhPacked);
        for (int s = 0; s < T; s++)
        {
            int t = reverse ? T - 1 - s : s;
            h.CopyTo(hPrev, t * bh);
            Gemm.SgemmPackedB(false, true, B, g3, H, 1f, h, H, whh, H, whhPacked, 0f, hh, g3);
            var y = output.AsSpan(t * bh, bh);
            for (int b = 0; b < B; b++)
            {
                var row = gates.AsSpan((t * B + b) * g3, g3);
                if (!Active(lengths, t, b)) { y.Slice(b * H, H).Clear(); row.Clear(); continue; }
                var hr = hh.AsSpan(b * g3, g3);
                TensorPrimitives.Add(hr.Slice(H, H), bhh.AsSpan(H, H), hr.Slice(H, H));
                TensorPrimitives.Add(hr.Slice(0, H), bhh.AsSpan(0, H), hr.Slice(0, H));
                TensorPrimitives.Add(hr.Slice(2 * H, H), bhh.AsSpan(2 * H, H), hr.Slice(2 * H, H));
                TensorPrimitives.Add(row.Slice(0, 2 * H), hr.Slice(0, 2 * H), row.Slice(0, 2 * H));
                TensorPrimitives.Sigmoid(row.Slice(0, 2 * H), row.Slice(0, 2 * H));
                hr.Slice(2 * H, H).CopyTo(hhN.AsSpan(t * bh + b * H, H));
                TensorPrimitives.MultiplyAdd(row.Slice(0, H), hr.Slice(2 * H, H), row.Slice(2 * H, H), row.Slice(2 * H, H));
                TensorPrimitives.Tanh(row.Slice(2 * H, H), row.Slice(2 * H, H));
                var hb = h.AsSpan(b * H, H);
                var z = row.Slice(H, H); var n = row.Slice(2 * H, H);
                for (int k = 0; k < H; k++) hb[k] = n[k] + z[k] * (hb[k] - n[k]);
                hb.CopyTo(y.Slice(b * H, H));
            }
        }
        Return(whhPacked);
        h.CopyTo(output, T * bh);
        return new GruTape { T = T, B = B, I = I, H = H, Reverse = reverse, Lengths = lengths, Gates = gates, HhN = hhN, HPrev = hPrev };
    }

    /// <summary>BPTT for <see cref="GruForward"/> given g [T+1, B, H]; separate bias gradients for b_ih and b_hh.</summary>
    public static void GruBackward(GruTape tp, float[] x, float[] wih, float[] whh, ReadOnlySpan<float> g,
        float[]? dX, float[] dh0, float[] dWih, float[] dWhh, float[] dbih, float[] dbhh)
    {
        int T = tp.T, B = tp.B, I = tp.I, H = tp.H, g3 = 3 * H, bh = B * H;
        var dPre = Rent(T * B * g3);  // d(input-side pre-activations)
        var dHh = Rent(T * B * g3);   // d(W_hh·h + b_hh)
        if (tp.Lengths is not null) { dPre.AsSpan(0, T * B * g3).Clear(); dHh.AsSpan(0, T * B * g3).Clear(); }
        var dh = dh0;
        g.Slice(T * bh, bh).CopyTo(dh);
        var dhRec = new float[bh];
        var whhPacked = Rent(Gemm.PackedBLength(g3, H));  // W_hh packed once for all T steps
        Gemm.PackB(false, g3, H, whh, H, whhPacked);
        for (int s = T - 1; s >= 0; s--)
        {
            int t = tp.Reverse ? T - 1 - s : s;
            var dy = g.Slice(t * bh, bh);
            for (int b = 0; b < B; b++)
            {
                if (!Active(tp.Lengths, t, b)) continue;
                int ro = (t * B + b) * g3, o = t * bh + b * H;
                var row = tp.Gates.AsSpan(ro, g3);
                var dp = dPre.AsSpan(ro, g3); var dq = dHh.AsSpan(ro, g3);
                var hp = tp.HPrev.AsSpan(o, H); var hn = tp.HhN.AsSpan(o, H);
                var dhb = dh.AsSpan(b * H, H);
                for (int k = 0; k < H; k++)
                {
                    float r = row[k], z = row[H + k], n = row[2 * H + k];
                    float dhv = dhb[k] + dy[b * H + k];
                    float dn = dhv * (1 - z), dzv = dhv * (hp[k] - n);
                    float dzn = dn * (1 - n * n);
                    float dr = dzn * hn[k];
                    float dzr = dr * r * (1 - r), dzz = dzv * z * (1 - z);
                    dp[k] = dzr; dp[H + k] = dzz; dp[2 * H + k] = dzn;
                    dq[k] = dzr; dq[H + k] = dzz; dq[2 * H + k] = dzn * r;
                    dhb[k] = dhv * z;  // direct path; the recurrent part is added below
                }
            }
            Gemm.SgemmPackedB(false, false, B, H, g3, 1f, dHh.AsSpan(t * B * g3, B * g3), g3, whh, H, whhPacked, 0f, dhRec, H);
            for (int b = 0; b < B; b++)
                if (Active(tp.Lengths, t, b)) TensorPrimitives.Add(dh.AsSpan(b * H, H), dhRec.AsSpan(b * H, H), dh.AsSpan(b * H, H));
        }
        Return(whhPacked);
        Gemm.Sgemm(true, false, g3, I, T * B, 1f, dPre, g3, x, I, 0f, dWih, I);
        Gemm.Sgemm(true, false, g3, H, T * B, 1f, dHh, g3, tp.HPrev, H, 0f, dWhh, H);
        if (dX is not null) Gemm.Sgemm(false, false, T * B, I, g3, 1f, dPre, g3, wih, I, 0f, dX, I);
        Array.Clear(dbih); Array.Clear(dbhh);
        for (int r = 0; r < T * B; r++)
        {
            TensorPrimitives.Add(dbih, dPre.AsSpan(r * g3, g3), dbih);
            TensorPrimitives.Add(dbhh, dHh.AsSpan(r * g3, g3), dbhh);
        }
        Return(dPre); Return(dHh);
    }
}
