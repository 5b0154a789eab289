using System.Numerics;
using System.Numerics.Tensors;
using HarmoniousFeedback.Nn.Kernels;

namespace HarmoniousFeedback.Tests.Nn.Kernels;

/// <summary>
/// The LSTM layer kernels as they were before the gate-major tape (commit cf9cabe, src/HarmoniousFeedback/Nn/Kernels/
/// RecurrentKernels.cs), kept verbatim except for plain arrays instead of pooled ones: the reference the fast kernels
/// must match bit for bit (every floating-point operation and its order unchanged), since the experiments' recorded
/// results (e.g. the md5 of <c>hfb reproduce</c>'s metrics.json) depend on every bit.
/// </summary>
internal static class ReferenceLstmKernels
{
    internal sealed class Tape
    {
        public required int T, B, I, H;
        public required bool Reverse;
        public required int[]? Lengths;
        public required float[] Gates;  // [T, B, 4H] activated i, f, g, o
        public required float[] HPrev;  // [T, B, H] state entering time t
        public required float[] CPrev;  // [T, B, H]
        public required float[] TanhC;  // [T, B, H] tanh(c_t)
    }

    private static bool Active(int[]? lengths, int t, int b) => lengths is null || t < lengths[b];

    /// <summary>
    /// out [T+2, B, H]: rows 0..T−1 = y (0 where t ≥ length), row T = h_n, row T+1 = c_n.
    /// z = W_ih·x_t + b_ih + W_hh·h + b_hh split (i, f, g, o); c' = σ(f)⊙c + σ(i)⊙tanh(g); h' = σ(o)⊙tanh(c').
    /// </summary>
    public static Tape Forward(float[] x, int T, int B, int I, int H, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        float[] wih, float[] whh, float[] bih, float[] bhh, bool reverse, int[]? lengths, float[] output)
    {
        int g4 = 4 * H, bh = B * H;
        var gates = new float[T * B * g4];
        Gemm.Sgemm(false, true, T * B, g4, I, 1f, x, I, wih, I, 0f, gates, g4);
        var bias = new float[g4];
        TensorPrimitives.Add(bih, bhh, bias);
        for (int r = 0; r < T * B; r++) TensorPrimitives.Add(gates.AsSpan(r * g4, g4), bias, gates.AsSpan(r * g4, g4));
        var hPrev = new float[T * bh];
        var cPrev = new float[T * bh];
        var tanhC = new float[T * bh];
        var h = new float[bh];
        var c = new float[bh];
        if (!h0.IsEmpty) h0.CopyTo(h);
        if (!c0.IsEmpty) c0.CopyTo(c);
        var whhPacked = new float[Gemm.PackedBLength(H, g4)];  // W_hhᵀ packed once for all T steps
        Gemm.PackB(true, H, g4, whh, H, whhPacked);
        for (int s = 0; s < T; s++)
        {
            int t = reverse ? T - 1 - s : s;
            h.CopyTo(hPrev, t * bh);
            c.CopyTo(cPrev, t * bh);
            var gt = gates.AsSpan(t * B * g4, B * g4);
            Gemm.SgemmPackedB(false, true, B, g4, H, 1f, h, H, whh, H, whhPacked, 1f, gt, g4);
            var y = output.AsSpan(t * bh, bh);
            for (int b = 0; b < B; b++)
            {
                if (!Active(lengths, t, b)) { y.Slice(b * H, H).Clear(); gt.Slice(b * g4, g4).Clear(); continue; }
                var row = gt.Slice(b * g4, g4);
                TensorPrimitives.Sigmoid(row.Slice(0, 2 * H), row.Slice(0, 2 * H));
                TensorPrimitives.Tanh(row.Slice(2 * H, H), row.Slice(2 * H, H));
                TensorPrimitives.Sigmoid(row.Slice(3 * H, H), row.Slice(3 * H, H));
                var cb = c.AsSpan(b * H, H);
                var tc = tanhC.AsSpan(t * bh + b * H, H);
                TensorPrimitives.Multiply(row.Slice(H, H), cb, cb);                       // f ⊙ c
                TensorPrimitives.MultiplyAdd(row.Slice(0, H), row.Slice(2 * H, H), cb, cb); // + i ⊙ g
                TensorPrimitives.Tanh(cb, tc);
                var hb = h.AsSpan(b * H, H);
                TensorPrimitives.Multiply(row.Slice(3 * H, H), tc, hb);
                hb.CopyTo(y.Slice(b * H, H));
            }
        }

        h.CopyTo(output, T * bh);
        c.CopyTo(output, (T + 1) * bh);
        return new Tape { T = T, B = B, I = I, H = H, Reverse = reverse, Lengths = lengths, Gates = gates, HPrev = hPrev, CPrev = cPrev, TanhC = tanhC };
    }

    /// <summary>
    /// BPTT for <c>Forward</c> given g [T+2, B, H] (dy, dh_n, dc_n). Writes dX [T, B, I] (if not null),
    /// dh0/dc0 [B, H], and the weight gradients dWih [4H, I], dWhh [4H, H], db [4H] (the same for b_ih and b_hh).
    /// </summary>
    public static void Backward(Tape tp, float[] x, float[] wih, float[] whh, ReadOnlySpan<float> g,
        float[]? dX, float[] dh0, float[] dc0, float[] dWih, float[] dWhh, float[] db)
    {
        int T = tp.T, B = tp.B, I = tp.I, H = tp.H, g4 = 4 * H, bh = B * H;
        var dGates = new float[T * B * g4];
        if (tp.Lengths is not null) dGates.AsSpan(0, T * B * g4).Clear();  // rows past a length are never written
        var dh = dh0; var dc = dc0;
        g.Slice(T * bh, bh).CopyTo(dh);
        g.Slice((T + 1) * bh, bh).CopyTo(dc);
        var dhRec = new float[bh];
        var whhPacked = new float[Gemm.PackedBLength(g4, H)];  // W_hh packed once for all T steps
        Gemm.PackB(false, g4, H, whh, H, whhPacked);
        for (int s = T - 1; s >= 0; s--)
        {
            int t = tp.Reverse ? T - 1 - s : s;
            var dGt = dGates.AsSpan(t * B * g4, B * g4);
            var dy = g.Slice(t * bh, bh);
            for (int b = 0; b < B; b++)
            {
                if (!Active(tp.Lengths, t, b)) continue;  // state carried through; dGates row stays 0
                int o = t * bh + b * H;
                LstmCellBackward(tp.Gates.AsSpan((t * B + b) * g4, g4), tp.TanhC.AsSpan(o, H), tp.CPrev.AsSpan(o, H),
                    dy.Slice(b * H, H), dh.AsSpan(b * H, H), dc.AsSpan(b * H, H), dGt.Slice(b * g4, g4));
            }
            Gemm.SgemmPackedB(false, false, B, H, g4, 1f, dGt, g4, whh, H, whhPacked, 0f, dhRec, H);
            if (tp.Lengths is null) dhRec.CopyTo(dh, 0);
            else
                for (int b = 0; b < B; b++)
                    if (Active(tp.Lengths, t, b)) dhRec.AsSpan(b * H, H).CopyTo(dh.AsSpan(b * H, H));
        }

        Gemm.Sgemm(true, false, g4, I, T * B, 1f, dGates, g4, x, I, 0f, dWih, I);
        Gemm.Sgemm(true, false, g4, H, T * B, 1f, dGates, g4, tp.HPrev, H, 0f, dWhh, H);
        if (dX is not null) Gemm.Sgemm(false, false, T * B, I, g4, 1f, dGates, g4, wih, I, 0f, dX, I);
        Array.Clear(db);
        for (int r = 0; r < T * B; r++) TensorPrimitives.Add(db, dGates.AsSpan(r * g4, g4), db);

    }

    /// <summary>
    /// One cell's backward for one batch row (SIMD). dh ← dh + dy is the total dL/dh_t; on return dc holds dL/dc_{t−1}
    /// and dz holds the pre-activation gradients (i, f, g, o).
    /// </summary>
    private static void LstmCellBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> tc, ReadOnlySpan<float> cprev,
        ReadOnlySpan<float> dy, Span<float> dh, Span<float> dc, Span<float> dz)
    {
        int H = tc.Length, k = 0;
        var gi = gates.Slice(0, H); var gf = gates.Slice(H, H); var gg = gates.Slice(2 * H, H); var go = gates.Slice(3 * H, H);
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
}
