namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Patch unfolding for convolution as GEMM (one image, NCHW, zero padding): column row r = (c·kh + i)·kw + j,
/// column p = oy·OW + ox holds x[c, oy·sh − ph + i, ox·sw − pw + j] (0 outside the image).
/// </summary>
internal static class Im2Col
{
    public static void Unfold(ReadOnlySpan<float> x, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow, Span<float> col)
    {
        int p = oh * ow;
        for (int ci = 0; ci < c; ci++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++)
                {
                    var dst = col.Slice(((ci * kh + i) * kw + j) * p, p);
                    for (int oy = 0; oy < oh; oy++)
                    {
                        int iy = oy * sh - ph + i;
                        var row = dst.Slice(oy * ow, ow);
                        if ((uint)iy >= (uint)h) { row.Clear(); continue; }
                        var src = x.Slice((ci * h + iy) * w, w);
                        if (sw == 1)
                        {
                            // contiguous run: ox from ox0 to ox1−1 maps to ix = ox − pw + j
                            int ox0 = Math.Max(0, pw - j), ox1 = Math.Min(ow, w + pw - j);
                            if (ox0 > 0) row.Slice(0, Math.Min(ox0, ow)).Clear();
                            if (ox1 > ox0) src.Slice(ox0 - pw + j, ox1 - ox0).CopyTo(row.Slice(ox0));
                            if (ox1 < ow) row.Slice(Math.Max(ox1, 0)).Clear();
                        }
                        else
                            for (int ox = 0; ox < ow; ox++)
                            {
                                int ix = ox * sw - pw + j;
                                row[ox] = (uint)ix < (uint)w ? src[ix] : 0f;
                            }
                    }
                }
    }

    /// <summary>Adjoint of <see cref="Unfold"/>: adds each column entry back into dx (overlaps add up).</summary>
    public static void FoldAdd(ReadOnlySpan<float> col, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow, Span<float> dx)
    {
        int p = oh * ow;
        for (int ci = 0; ci < c; ci++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++)
                {
                    var src = col.Slice(((ci * kh + i) * kw + j) * p, p);
                    for (int oy = 0; oy < oh; oy++)
                    {
                        int iy = oy * sh - ph + i;
                        if ((uint)iy >= (uint)h) continue;
                        var dst = dx.Slice((ci * h + iy) * w, w);
                        if (sw == 1)
                        {
                            int ox0 = Math.Max(0, pw - j), ox1 = Math.Min(ow, w + pw - j);
                            if (ox1 > ox0)
                            {
                                var d = dst.Slice(ox0 - pw + j, ox1 - ox0);
                                System.Numerics.Tensors.TensorPrimitives.Add(d, src.Slice(oy * ow + ox0, ox1 - ox0), d);
                            }
                        }
                        else
                            for (int ox = 0; ox < ow; ox++)
                            {
                                int ix = ox * sw - pw + j;
                                if ((uint)ix < (uint)w) dst[ix] += src[oy * ow + ox];
                            }
                    }
                }
    }
}
