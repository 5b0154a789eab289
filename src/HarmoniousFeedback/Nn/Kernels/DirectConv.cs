using System.Numerics.Tensors;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Direct stride-1 convolution for layers with few input taps (C·kh·kw small, e.g. the first layer on a
/// spectrogram), where im2col + GEMM would run a GEMM with a tiny inner dimension. For every output row and kernel
/// tap (c, i, j) the valid output columns form one contiguous run, so each tap is one SIMD multiply-add over a row
/// segment: y[o, oy, ox0:ox1] += w[o, c, i, j] · x[c, oy − ph + i, ox0 − pw + j : …]. Same arithmetic as
/// cross-correlation with zero padding. Work is split by image (forward, dX) or by output channel (dW, db), so no
/// value is summed by more than one thread and results are identical for any thread count.
/// </summary>
internal static class DirectConv
{
    /// <summary>Largest C·kh·kw routed here (im2col + GEMM above it).</summary>
    public const int MaxTaps = 27;


    public static void Forward(float[] x, float[] wt, float[]? bias, float[] y, int n, int c, int h, int w, int o, int kh, int kw, int ph, int pw, int oh, int ow)
    {
        int p = oh * ow;
        ParallelChunks.For(n * o, (long)p * c * kh * kw, (s0, cnt) =>
        {
            for (int plane = s0; plane < s0 + cnt; plane++)
            {
                int b = plane / o, k = plane % o;
                var yp = y.AsSpan(plane * p, p);
                yp.Fill(bias is null ? 0f : bias[k]);
                for (int ci = 0; ci < c; ci++)
                {
                    var xp = x.AsSpan((b * c + ci) * h * w, h * w);
                    int wbase = (k * c + ci) * kh * kw;
                    for (int i = 0; i < kh; i++)
                        for (int oy = 0; oy < oh; oy++)
                        {
                            int iy = oy - ph + i;
                            if ((uint)iy >= (uint)h) continue;
                            for (int j = 0; j < kw; j++)
                            {
                                int ox0 = Math.Max(0, pw - j), ox1 = Math.Min(ow, w + pw - j);
                                if (ox1 <= ox0) continue;
                                var dst = yp.Slice(oy * ow + ox0, ox1 - ox0);
                                TensorPrimitives.MultiplyAdd(xp.Slice(iy * w + ox0 - pw + j, ox1 - ox0), wt[wbase + i * kw + j], dst, dst);
                            }
                        }
                }
            }
        });
    }

    /// <summary>dW[o,c,i,j] = Σ_b Σ_rows dY·x (dot products), db[o] = Σ dY; split by output channel.</summary>
    public static void BackwardWeights(float[] x, float[] g, float[]? dW, float[]? db, int n, int c, int h, int w, int o, int kh, int kw, int ph, int pw, int oh, int ow)
    {
        int p = oh * ow;
        ParallelChunks.For(o, (long)n * p * c * kh * kw, (k0, cnt) =>
        {
            for (int k = k0; k < k0 + cnt; k++)
            {
                if (db is not null)
                {
                    double s = 0;
                    for (int b = 0; b < n; b++) s += TensorPrimitives.Sum(g.AsSpan((b * o + k) * p, p));
                    db[k] = (float)s;
                }
                if (dW is null) continue;
                for (int ci = 0; ci < c; ci++)
                    for (int i = 0; i < kh; i++)
                        for (int j = 0; j < kw; j++)
                        {
                            double acc = 0;
                            int ox0 = Math.Max(0, pw - j), ox1 = Math.Min(ow, w + pw - j);
                            if (ox1 > ox0)
                                for (int b = 0; b < n; b++)
                                {
                                    var gp = g.AsSpan((b * o + k) * p, p);
                                    var xp = x.AsSpan((b * c + ci) * h * w, h * w);
                                    for (int oy = 0; oy < oh; oy++)
                                    {
                                        int iy = oy - ph + i;
                                        if ((uint)iy >= (uint)h) continue;
                                        acc += TensorPrimitives.Dot(gp.Slice(oy * ow + ox0, ox1 - ox0), xp.Slice(iy * w + ox0 - pw + j, ox1 - ox0));
                                    }
                                }
                            dW[((k * c + ci) * kh + i) * kw + j] = (float)acc;
                        }
            }
        });
    }

    /// <summary>dX[c, iy, ix] += w[o,c,i,j]·dY[o, oy, ox] over every tap; split by image.</summary>
    public static void BackwardInput(float[] wt, float[] g, float[] dX, int n, int c, int h, int w, int o, int kh, int kw, int ph, int pw, int oh, int ow)
    {
        int p = oh * ow;
        ParallelChunks.For(n, (long)o * p * c * kh * kw, (b0, cnt) =>
        {
            for (int b = b0; b < b0 + cnt; b++)
            {
                dX.AsSpan(b * c * h * w, c * h * w).Clear();
                for (int ci = 0; ci < c; ci++)
                {
                    var dxp = dX.AsSpan((b * c + ci) * h * w, h * w);
                    for (int k = 0; k < o; k++)
                    {
                        var gp = g.AsSpan((b * o + k) * p, p);
                        int wbase = (k * c + ci) * kh * kw;
                        for (int i = 0; i < kh; i++)
                            for (int oy = 0; oy < oh; oy++)
                            {
                                int iy = oy - ph + i;
                                if ((uint)iy >= (uint)h) continue;
                                for (int j = 0; j < kw; j++)
                                {
                                    int ox0 = Math.Max(0, pw - j), ox1 = Math.Min(ow, w + pw - j);
                                    if (ox1 <= ox0) continue;
                                    var dst = dxp.Slice(iy * w + ox0 - pw + j, ox1 - ox0);
                                    TensorPrimitives.MultiplyAdd(gp.Slice(oy * ow + ox0, ox1 - ox0), wt[wbase + i * kw + j], dst, dst);
                                }
                            }
                    }
                }
            }
        });
    }
}
