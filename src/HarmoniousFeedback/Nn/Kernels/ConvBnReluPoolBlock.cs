using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Conv2d (stride 1, few input taps) → BatchNorm2d → ReLU → MaxPool2d(2) as one block that never stores the
/// convolution's output: the first layer of a spectrogram CNN (C = 1, 3 × 3: 9 multiply-adds per output) writes 16×
/// its input and is bound by memory traffic, while recomputing it costs little. Each pass recomputes the convolution
/// for a band of rows with the implicit-GEMM microkernel (<see cref="ImplicitGemmConv"/>) into an L1-sized buffer and
/// consumes it there:
/// <list type="number">
/// <item><see cref="Moments"/> — per (image, channel) mean and centred sum of squares, row by row, combined with
/// Chan et al.'s update (training only);</item>
/// <item><see cref="Forward"/> — z = max(y·scale + shift, 0) and the 2 × 2 maxima (<see cref="BnReluPoolSimd.ForwardRow"/>);</item>
/// <item><see cref="SelectedSums"/> — per (image, channel) Σg and Σg·y over the element each window's gradient goes to;</item>
/// <item><see cref="BackwardWeightPartials"/> — dY = α·g·[selected] + β·y + γ for the band in the virtual (row stride Wp)
/// layout, then the weight-gradient microkernel on it: per-image partial dW and db.</item>
/// </list>
/// The recomputed values are bit-identical in every pass (same kernel, same order), so the window selection matches
/// the forward. Per-image results are combined in image order: results are identical for any thread count.
/// The input gradient is not formed: the block is used only when the input needs none (data into the first layer).
/// </summary>
internal static unsafe class ConvBnReluPoolBlock
{
    /// <summary>Largest C·kh·kw handled (the old direct-convolution bound; above it storing the output is cheaper than recomputing it 4×).</summary>
    public const int MaxTaps = 27;

    /// <summary>Whether the block kernels handle <paramref name="g"/>.</summary>
    public static bool Supports(in Conv2dGeometry g) =>
        Avx2.IsSupported && ImplicitGemmConv.Supports(g) && g.PatchSize <= MaxTaps && g.OutH >= 2 && g.OutW >= 2;

    private enum Pass { Moments, Forward, Sums, Weight }

    /// <summary>Per-channel batch mean and biased variance of the convolution output y = W ⋆ x + b.</summary>
    public static (double[] Mean, double[] Var) Moments(in Conv2dGeometry g, float* x, float* w, float* bias)
    {
        var per = new double[g.Batch * g.OutChannels * 3];
        fixed (double* pm = per)
        {
            var job = new BlockJob(g, x, w, bias, Pass.Moments) { Moments = pm };
            job.Run();
        }
        int o = g.OutChannels;
        var mean = new double[o]; var var = new double[o];
        for (int ch = 0; ch < o; ch++)
        {
            double mu = 0, m2 = 0, count = 0;
            for (int n = 0; n < g.Batch; n++)
            {
                int i = (n * o + ch) * 3;
                ChanCombine(ref count, ref mu, ref m2, per[i], per[i + 1], per[i + 2]);
            }
            mean[ch] = mu;
            var[ch] = m2 / count;
        }
        return (mean, var);
    }

    /// <summary>Pooled output <paramref name="y"/> [N, O, OH/2, OW/2] = maxpool2(max(conv·scale + shift, 0)).</summary>
    public static void Forward(in Conv2dGeometry g, float* x, float* w, float* bias, float* scale, float* shift, float* y)
    {
        var job = new BlockJob(g, x, w, bias, Pass.Forward) { Scale = scale, Shift = shift, Pooled = y };
        job.Run();
    }

    /// <summary>Per channel Σg and Σg·y over the selected window elements (y the convolution output), images in order.</summary>
    public static (double[] SumG, double[] SumGY) SelectedSums(in Conv2dGeometry g, float* x, float* w, float* bias, float* scale, float* shift,
        float* pooled, float* gradPooled)
    {
        int o = g.OutChannels;
        var per = new double[g.Batch * o * 2];
        fixed (double* ps = per)
        {
            var job = new BlockJob(g, x, w, bias, Pass.Sums) { Scale = scale, Shift = shift, Pooled = pooled, GradPooled = gradPooled, Sums = ps };
            job.Run();
        }
        var sg = new double[o]; var sgy = new double[o];
        for (int ch = 0; ch < o; ch++)
            for (int n = 0; n < g.Batch; n++)
            {
                sg[ch] += per[(n * o + ch) * 2];
                sgy[ch] += per[(n * o + ch) * 2 + 1];
            }
        return (sg, sgy);
    }

    /// <summary>
    /// Convolution weight and bias gradients for dY = α·g·[selected] + β·y + γ (BatchNorm's backward through the ReLU
    /// and the pooling), per image into <paramref name="partial"/> (layout of <see cref="ConvKernels.ReducePartials"/>).
    /// </summary>
    public static void BackwardWeightPartials(in Conv2dGeometry g, float* x, float* w, float* bias, float* scale, float* shift,
        float* pooled, float* gradPooled, float* alpha, float* beta, float* gamma, float* partial)
    {
        var job = new BlockJob(g, x, w, bias, Pass.Weight)
        {
            Scale = scale, Shift = shift, Pooled = pooled, GradPooled = gradPooled, Alpha = alpha, Beta = beta, Gamma = gamma, Partial = partial,
        };
        job.Run();
    }

    /// <summary>Merges a group (count nb, mean mb, centred sum of squares m2b) into running (count, mean, m2).</summary>
    private static void ChanCombine(ref double count, ref double mean, ref double m2, double nb, double mb, double m2b)
    {
        if (nb == 0) return;
        double total = count + nb, delta = mb - mean;
        mean += delta * nb / total;
        m2 += m2b + delta * delta * (count * nb / total);
        count = total;
    }

    [ThreadStatic] private static float[]? t_conv, t_dy, t_vp;

    private sealed class BlockJob : KernelJob
    {
        private readonly Conv2dGeometry _g;
        private readonly ImplicitGemmConv.Layout _lay;
        private readonly float* _x, _bias;
        private readonly Pass _pass;
        private readonly float[] _packed;
        private readonly int _rowsPerBand;
        private int _next;
        private float* _wp;
        public double* Moments, Sums;
        public float* Scale, Shift, Pooled, GradPooled, Alpha, Beta, Gamma, Partial;

        public BlockJob(in Conv2dGeometry g, float* x, float* w, float* bias, Pass pass)
        {
            _g = g; _x = x; _bias = bias; _pass = pass;
            int lanes = ImplicitGemmConv.Lanes, mr = ImplicitGemmConv.TileRows;
            _lay = new ImplicitGemmConv.Layout(g.InChannels, g.OutChannels, g.Height, g.Width, g.KernelH, g.KernelW, g.PadH, g.PadW, lanes, mr);
            _packed = GC.AllocateUninitializedArray<float>(_lay.O * _lay.K, pinned: true);
            fixed (float* p = _packed) ImplicitGemmConv.PackForward(w, _lay, p, mr);
            // bands of whole row pairs whose start q = row·Wp is a multiple of the vector width (the weight pass runs
            // vector-aligned over exactly its band), and whose convolution buffer (TileRows × band) is ≈ 16–32 KiB
            int step = 2;
            while (step * _lay.Wp % lanes != 0) step += 2;
            int rows = Math.Max(step, 4096 / (mr * _lay.Wp) / step * step);
            _rowsPerBand = rows;
        }

        public void Run()
        {
            fixed (float* p = _packed)
            {
                _wp = p;
                _next = 0;
                KernelParallel.Run(this, _g.Batch >= 2 ? Gemm.MaxThreads : 1);
                _wp = null;
            }
        }

        public override void Execute(int participant, int count)
        {
            int n;
            while ((n = Interlocked.Increment(ref _next) - 1) < _g.Batch)
            {
                if (Gemm.DefaultIsa == GemmIsa.Avx512) Image<Simd512, Vector512<float>>(n);
                else if (ImplicitGemmConv.WideTiles) Image<Simd256Wide, Vector256<float>>(n);
                else Image<Simd256, Vector256<float>>(n);
            }
        }

        private void Image<TS, TV>(int n) where TS : struct, ISimdOps<TV> where TV : struct
        {
            var lay = _lay;
            int mr = TS.TileRows, l = TS.Lanes, nr = lay.Nr, k = lay.K, o = lay.O, wp = lay.Wp;
            int oh = lay.OH, ow = lay.OW, poh = oh / 2, pow = ow / 2;
            float* pad = ImplicitGemmConv.Buffer(ref ImplicitGemmConv.t_pad, (long)lay.C * lay.Plane);
            ImplicitGemmConv.PadPlanes(_x + (long)n * lay.C * lay.H * lay.W, lay, pad, 0, lay.C);
            int bandQ = _rowsPerBand * wp;
            long ldc = ImplicitGemmConv.RoundUp(bandQ, nr) + 2 * nr;   // tiles cover [qa, qb) from an nr-aligned start
            float* conv = ImplicitGemmConv.Buffer(ref t_conv, mr * ldc);
            int* offs = stackalloc int[lay.Taps];
            for (int i = 0; i < lay.KH; i++)
                for (int j = 0; j < lay.KW; j++) offs[i * lay.KW + j] = i * wp + j;
            // weight pass state: dY band (TileRows × band, virtual layout), vector partials per (o, column)
            float* dyv = null, vp = null;
            long ldv = (long)k * l;
            float** cols = stackalloc float*[3];
            double* db = stackalloc double[o];
            if (_pass == Pass.Weight)
            {
                dyv = ImplicitGemmConv.Buffer(ref t_dy, (long)mr * bandQ + l);
                vp = ImplicitGemmConv.Buffer(ref t_vp, o * ldv);
                for (int ch = 0; ch < o; ch++) db[ch] = 0;
            }
            if (_pass == Pass.Moments)
                for (int ch = 0; ch < o; ch++) { Moments[(n * o + ch) * 3] = 0; Moments[(n * o + ch) * 3 + 1] = 0; Moments[(n * o + ch) * 3 + 2] = 0; }
            var sums = _pass == Pass.Sums ? new BnReluPoolSimd.SelectionSums[o] : null;
            int qEnd = ImplicitGemmConv.RoundUp(oh * wp, l);
            for (int r0 = 0; r0 < oh; r0 += _rowsPerBand)
            {
                int r1 = Math.Min(oh, r0 + _rowsPerBand);
                int qa = r0 * wp, qb = r1 * wp;
                int qs = qa / nr * nr, qe = ImplicitGemmConv.RoundUp(qb, nr);
                for (int o0 = 0; o0 < o; o0 += mr)
                {
                    int rows = Math.Min(mr, o - o0);
                    float* wpk = _wp + (long)o0 * k;
                    for (int q = qs; q < qe; q += nr)
                        ImplicitGemmConv.Tile<TS, TV>(rows, pad + q, lay.Plane, lay.C, offs, lay.Taps, wpk, _bias == null ? null : _bias + o0, conv + (q - qs), (nint)ldc);
                    for (int r = 0; r < rows; r++)
                    {
                        int ch = o0 + r;
                        float* yrow = conv + r * ldc + (qa - qs);   // output row r0 of channel ch; rows are wp apart
                        switch (_pass)
                        {
                            case Pass.Moments:
                            {
                                double* m = Moments + (n * o + ch) * 3;
                                for (int oy = r0; oy < r1; oy++)
                                {
                                    var (mean, m2) = RowMoments(yrow + (long)(oy - r0) * wp, ow);
                                    ChanCombine(ref m[0], ref m[1], ref m[2], ow, mean, m2);
                                }
                                break;
                            }
                            case Pass.Forward:
                                for (int oy = r0; oy + 1 < r1; oy += 2)
                                {
                                    float* a = yrow + (long)(oy - r0) * wp;
                                    BnReluPoolSimd.ForwardRow(a, a + wp, Pooled + (((long)n * o + ch) * poh + oy / 2) * pow, pow, Scale[ch], Shift[ch]);
                                }
                                break;
                            case Pass.Sums:
                                for (int oy = r0; oy + 1 < r1; oy += 2)
                                {
                                    float* a = yrow + (long)(oy - r0) * wp;
                                    long po = (((long)n * o + ch) * poh + oy / 2) * pow;
                                    sums![ch].AddRow(a, a + wp, Pooled + po, GradPooled + po, pow, Scale[ch], Shift[ch]);
                                }
                                break;
                            case Pass.Weight:
                            {
                                float* d = dyv + (long)r * bandQ;
                                for (int oy = r0; oy < r1; oy += 2)
                                {
                                    float* a = yrow + (long)(oy - r0) * wp;
                                    float* da = d + (long)(oy - r0) * wp;
                                    if (oy + 1 < r1 && oy / 2 < poh)
                                    {
                                        long po = (((long)n * o + ch) * poh + oy / 2) * pow;
                                        BnReluPoolSimd.ScatterRow(a, a + wp, Pooled + po, GradPooled + po, da, da + wp, ow, pow,
                                            Scale[ch], Shift[ch], Alpha[ch], Beta[ch], Gamma[ch]);
                                        new Span<float>(da + ow, wp - ow).Clear();
                                        new Span<float>(da + wp + ow, wp - ow).Clear();
                                    }
                                    else
                                    {
                                        // odd last row: no pooling window covers it
                                        BnReluPoolSimd.BaseRow(a, da, ow, Beta[ch], Gamma[ch]);
                                        new Span<float>(da + ow, wp - ow).Clear();
                                    }
                                }
                                db[ch] += Reductions.RowSum(d, qb - qa);
                                break;
                            }
                        }
                    }
                    if (_pass == Pass.Weight)
                    {
                        // the band's q range, vector-aligned (qa is by construction); beyond the last row dY is zero
                        int qw = Math.Min(ImplicitGemmConv.RoundUp(qb, l), qEnd);
                        for (int r = 0; r < rows; r++)
                            if (qw > qb) new Span<float>(dyv + (long)r * bandQ + (qb - qa), qw - qb).Clear();
                        float* vrow = vp + o0 * ldv;
                        for (int s0 = 0; s0 < k; s0 += 3)
                        {
                            int ncol = Math.Min(3, k - s0);
                            for (int s = 0; s < ncol; s++)
                            {
                                int ks = s0 + s;
                                cols[s] = pad + (long)(ks / lay.Taps) * lay.Plane + offs[ks % lay.Taps] + qa;
                            }
                            ImplicitGemmConv.WTile<TS, TV>(rows, ncol, dyv, bandQ, cols, (qw - qa) / l, vrow + (long)s0 * l, (nint)ldv, r0 == 0);
                        }
                    }
                }
            }
            if (_pass == Pass.Sums)
                for (int ch = 0; ch < o; ch++)
                {
                    var (s1, s2) = sums![ch].Result;
                    Sums[(n * o + ch) * 2] = s1;
                    Sums[(n * o + ch) * 2 + 1] = s2;
                }
            if (_pass == Pass.Weight)
            {
                float* part = Partial + (long)n * (o * k + o);
                for (int ch = 0; ch < o; ch++)
                {
                    float* v = vp + ch * ldv;
                    for (int col = 0; col < k; col++) part[(long)ch * k + col] = TS.Sum(TS.Load(v + (long)col * l));
                    part[(long)o * k + ch] = (float)db[ch];
                }
            }
        }

        /// <summary>Mean and Σ(v − mean)² of a row (float partial sums, centred on the float-rounded mean, corrected exactly).</summary>
        private static (double Mean, double M2) RowMoments(float* v, int len)
        {
            Vector256<float> s0 = Vector256<float>.Zero, s1 = s0;
            int i = 0;
            for (; i + 16 <= len; i += 16) { s0 = Avx.Add(s0, Avx.LoadVector256(v + i)); s1 = Avx.Add(s1, Avx.LoadVector256(v + i + 8)); }
            double sum = Vector256.Sum(Avx.Add(s0, s1));
            for (; i < len; i++) sum += v[i];
            double mu = sum / len;
            float c = (float)mu;
            var vc = Vector256.Create(c);
            Vector256<float> q0 = Vector256<float>.Zero, q1 = q0;
            i = 0;
            for (; i + 16 <= len; i += 16)
            {
                var d0 = Avx.Subtract(Avx.LoadVector256(v + i), vc);
                var d1 = Avx.Subtract(Avx.LoadVector256(v + i + 8), vc);
                q0 = Fma.MultiplyAdd(d0, d0, q0);
                q1 = Fma.MultiplyAdd(d1, d1, q1);
            }
            double q = Vector256.Sum(Avx.Add(q0, q1));
            for (; i < len; i++) { double d = v[i] - c; q += d * d; }
            double shift = mu - c;
            return (mu, Math.Max(0, q - len * shift * shift));
        }
    }
}
