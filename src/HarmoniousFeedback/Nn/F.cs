using System.Numerics.Tensors;

namespace HarmoniousFeedback.Nn;

/// <summary>Functional forms of layers and losses (PyTorch's <c>torch.nn.functional</c>), all differentiable.</summary>
public static partial class F
{
    /// <summary>Inverted dropout: keep with probability 1−p and scale by 1/(1−p); identity when not training or p = 0.</summary>
    public static Tensor Dropout(Tensor x, float p, bool training, NnRng rng)
    {
        if (!training || p == 0f) return x;
        var mask = new float[x.Count];
        float scale = 1f / (1f - p);
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextDouble() < p ? 0f : scale;
        return x * new Tensor(mask, x.ShapeArray);
    }

    /// <summary>
    /// Layer normalisation over the last dim (size D): x̂ = (x − μ)/√(σ² + eps) with biased σ², y = x̂·w + b.
    /// Backward per row: dx = (1/D)·rstd·(D·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)), dx̂ = g·w.
    /// </summary>
    public static Tensor LayerNorm(Tensor x, Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        int d = x.Shape[^1];
        if (weight is not null && weight.Count != d) throw new ShapeMismatchException($"LayerNorm weight has {weight.Count} elements, input last dim is {d} (shape {Tensor.ShapeString(x.Shape)})");
        int rows = x.Count / d;
        var xd = x._data;
        var y = new float[xd.Length];
        var xhat = new float[xd.Length];
        var rstd = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = xd.AsSpan(r * d, d);
            double mean = 0; foreach (var v in row) mean += v; mean /= d;
            double var_ = 0; foreach (var v in row) var_ += (v - mean) * (v - mean); var_ /= d;
            float rs = (float)(1.0 / Math.Sqrt(var_ + eps));
            rstd[r] = rs;
            for (int i = 0; i < d; i++)
            {
                float h = (float)((row[i] - mean) * rs);
                xhat[r * d + i] = h;
                y[r * d + i] = h * (weight?._data[i] ?? 1f) + (bias?._data[i] ?? 0f);
            }
        }
        var parents = new List<Tensor> { x };
        if (weight is not null) parents.Add(weight);
        if (bias is not null) parents.Add(bias);
        return Tensor.Result(y, x.ShapeArray, "LayerNorm", parents.ToArray(), g =>
        {
            if (x.RequiresGrad)
            {
                var dx = new float[g.Length];
                var dxh = new float[d];
                for (int r = 0; r < rows; r++)
                {
                    double s1 = 0, s2 = 0;
                    for (int i = 0; i < d; i++)
                    {
                        float v = g[r * d + i] * (weight?._data[i] ?? 1f);
                        dxh[i] = v; s1 += v; s2 += v * xhat[r * d + i];
                    }
                    for (int i = 0; i < d; i++)
                        dx[r * d + i] = (float)(rstd[r] / d * (d * dxh[i] - s1 - xhat[r * d + i] * s2));
                }
                x.AccumulateGrad(dx);
            }
            if (weight is not null && weight.RequiresGrad)
            {
                var dw = new float[d];
                for (int r = 0; r < rows; r++) for (int i = 0; i < d; i++) dw[i] += g[r * d + i] * xhat[r * d + i];
                weight.AccumulateGrad(dw);
            }
            if (bias is not null && bias.RequiresGrad)
            {
                var db = new float[d];
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(db, g.AsSpan(r * d, d), db);
                bias.AccumulateGrad(db);
            }
        });
    }

    /// <summary>
    /// Batch normalisation over dim 1 of [N, C, *]. Training: batch mean/biased var per channel, gradients flow
    /// through both; running stats updated in place (unbiased var, momentum m) and <paramref name="numBatchesTracked"/>
    /// incremented. Eval: y = (x − running_mean)/√(running_var + eps)·w + b. With <c>relu: true</c> the result is
    /// passed through ReLU in the same pass (the BatchNorm → ReLU fusion PyTorch's oneDNN backend performs): identical
    /// values and gradients to <c>BatchNorm(…).Relu()</c>, one activation tensor fewer.
    /// </summary>
    public static Tensor BatchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum = 0.1f, float eps = 1e-5f, Tensor? numBatchesTracked = null, bool relu = false)
    {
        int n = x.Shape[0], c = x.Shape[1];
        int inner = x.Count / (n * c);
        int m = n * inner;
        var xd = x._data;
        var (mean, invStd) = BatchNormStatistics(x, runningMean, runningVar, training, momentum, eps, numBatchesTracked);
        // x̂ is not stored: backward recomputes it from x, mean and rstd (one 4-byte/element buffer fewer per call)
        var y = Tensor.Uninit(xd.Length);
        Kernels.ParallelChunks.For(n * c, inner, (s0, sn) =>
        {
            for (int seg = s0; seg < s0 + sn; seg++)
            {
                int ch = seg % c, o = seg * inner;
                float rs = invStd[ch], w = weight?._data[ch] ?? 1f, bb = bias?._data[ch] ?? 0f;
                // y = (x − μ)·rstd·w + b = x·(rstd·w) + (b − μ·rstd·w)
                float scale = rs * w, shift = (float)(bb - mean[ch] * rs * w);
                TensorPrimitives.Multiply(xd.AsSpan(o, inner), scale, y.AsSpan(o, inner));
                TensorPrimitives.Add(y.AsSpan(o, inner), shift, y.AsSpan(o, inner));
                if (relu) TensorPrimitives.Max(y.AsSpan(o, inner), 0f, y.AsSpan(o, inner));
            }
        });
        var parents = new List<Tensor> { x };
        if (weight is not null) parents.Add(weight);
        if (bias is not null) parents.Add(bias);
        return Tensor.Result(y, x.ShapeArray, relu ? "BatchNormReLU" : "BatchNorm", parents.ToArray(), g =>
        {
            // g is this node's own buffer (consumed once): the ReLU mask and then dx are written into it in place
            if (relu) Kernels.ParallelChunks.For(g.Length, 1, (s0, sn) => ReluMaskInPlace(y, g, s0, sn));
            // Σg and Σg·x̂ per channel, with Σg·x̂ = rstd·(Σg·x − μ·Σg)
            var sg = new double[c]; var sgx = new double[c];
            Kernels.ParallelChunks.For(c, (long)m, (c0, cn) =>
            {
                for (int ch = c0; ch < c0 + cn; ch++)
                {
                    double s1 = 0, s2 = 0;
                    for (int b = 0; b < n; b++)
                    {
                        int o = (b * c + ch) * inner;
                        s1 += TensorPrimitives.Sum(g.AsSpan(o, inner));
                        s2 += TensorPrimitives.Dot(g.AsSpan(o, inner), xd.AsSpan(o, inner));
                    }
                    sg[ch] = s1;
                    sgx[ch] = invStd[ch] * (s2 - mean[ch] * s1);
                }
            });
            if (x.RequiresGrad)
            {
                // training: dx = w·rstd·(g − Σg/m − x̂·Σ(g·x̂)/m) = g·α + x·β + γ; eval: dx = w·rstd·g
                var dx = g;  // element i of dx depends only on g[i] and x[i]
                Kernels.ParallelChunks.For(n * c, inner, (s0, sn) =>
                {
                    for (int seg = s0; seg < s0 + sn; seg++)
                    {
                        int ch = seg % c, o = seg * inner;
                        float w = weight?._data[ch] ?? 1f, rs = invStd[ch];
                        var d = dx.AsSpan(o, inner);
                        if (training)
                        {
                            double a = sg[ch] / m, bx = sgx[ch] / m;
                            float alpha = w * rs;
                            float beta = (float)(-w * rs * rs * bx);
                            float gamma = (float)(w * rs * (-a + rs * bx * mean[ch]));
                            TensorPrimitives.Multiply(g.AsSpan(o, inner), alpha, d);
                            TensorPrimitives.Add(d, gamma, d);
                            TensorPrimitives.MultiplyAdd(xd.AsSpan(o, inner), beta, d, d);
                        }
                        else TensorPrimitives.Multiply(g.AsSpan(o, inner), w * rs, d);
                    }
                });
                x.AccumulateGradOwned(dx);
            }
            if (weight is not null && weight.RequiresGrad) weight.AccumulateGrad(sgx.Select(v => (float)v).ToArray());
            if (bias is not null && bias.RequiresGrad) bias.AccumulateGrad(sg.Select(v => (float)v).ToArray());
        });
    }

    /// <summary>
    /// Per-channel mean and 1/√(var + eps) of x [N, C, *]: the batch's (biased variance; running stats updated with the
    /// unbiased one, num_batches_tracked incremented) in training, the running stats in eval.
    /// </summary>
    private static (double[] Mean, float[] InvStd) BatchNormStatistics(Tensor x, Tensor runningMean, Tensor runningVar,
        bool training, float momentum, float eps, Tensor? numBatchesTracked)
    {
        int n = x.Shape[0], c = x.Shape[1];
        int inner = x.Count / (n * c);
        int m = n * inner;
        var xd = x._data;
        var mean = new double[c];
        var invStd = new float[c];
        if (training)
        {
            if (m <= 1) throw new ShapeMismatchException($"BatchNorm in training needs more than one value per channel, got input {Tensor.ShapeString(x.Shape)}");
            var vars = new double[c];
            Kernels.ParallelChunks.For(c, (long)m, (c0, cn) =>
            {
                var tmp = System.Buffers.ArrayPool<float>.Shared.Rent(StatChunk);
                try
                {
                    for (int ch = c0; ch < c0 + cn; ch++)
                    {
                        // per (sample, channel) segment: its mean and centred sum of squares (two passes, the second
                        // while the segment is still in cache), combined across samples in order with Chan et al.'s
                        // pairwise update — stable however large the mean is relative to the spread
                        double mu = 0, m2 = 0;
                        long count = 0;
                        for (int b = 0; b < n; b++)
                        {
                            var seg = xd.AsSpan((b * c + ch) * inner, inner);
                            var (segMean, segM2) = SegmentMoments(seg, tmp);
                            long total = count + inner;
                            double delta = segMean - mu;
                            mu += delta * inner / total;
                            m2 += segM2 + delta * delta * ((double)count * inner / total);
                            count = total;
                        }
                        mean[ch] = mu;
                        vars[ch] = m2 / m;
                        invStd[ch] = (float)(1.0 / Math.Sqrt(vars[ch] + eps));
                    }
                }
                finally { System.Buffers.ArrayPool<float>.Shared.Return(tmp); }
            });
            for (int ch = 0; ch < c; ch++)
            {
                runningMean._data[ch] = (float)((1 - momentum) * runningMean._data[ch] + momentum * mean[ch]);
                runningVar._data[ch] = (float)((1 - momentum) * runningVar._data[ch] + momentum * vars[ch] * m / (m - 1));
            }
            if (numBatchesTracked is not null) numBatchesTracked._data[0] += 1;
        }
        else
            for (int ch = 0; ch < c; ch++)
            {
                mean[ch] = runningMean._data[ch];
                invStd[ch] = (float)(1.0 / Math.Sqrt(runningVar._data[ch] + (double)eps));
            }
        return (mean, invStd);
    }

    /// <summary>Elements per vectorised partial sum in <see cref="SegmentMoments"/> (partials are added in double).</summary>
    private const int StatChunk = 4096;

    /// <summary>Mean and Σ(x − mean)² of a segment: chunks of <see cref="StatChunk"/> summed by TensorPrimitives in
    /// float and accumulated in double; the squares are taken about the float-rounded mean c and corrected
    /// exactly: Σ(x − μ)² = Σ(x − c)² − len·(μ − c)².</summary>
    private static (double Mean, double M2) SegmentMoments(ReadOnlySpan<float> seg, float[] tmp)
    {
        double s = 0;
        for (int i = 0; i < seg.Length; i += StatChunk) s += TensorPrimitives.Sum(seg.Slice(i, Math.Min(StatChunk, seg.Length - i)));
        double mu = s / seg.Length;
        float c = (float)mu;
        double q = 0;
        for (int i = 0; i < seg.Length; i += StatChunk)
        {
            int len = Math.Min(StatChunk, seg.Length - i);
            var t = tmp.AsSpan(0, len);
            TensorPrimitives.Subtract(seg.Slice(i, len), c, t);
            q += TensorPrimitives.SumOfSquares(t);
        }
        double shift = mu - c;
        return (mu, Math.Max(0, q - seg.Length * shift * shift));
    }

    /// <summary>g[i] ← y[i] &gt; 0 ? g[i] : 0 — the ReLU derivative taken from the output (y &gt; 0 ⇔ x &gt; 0).</summary>
    internal static void ReluMaskInPlace(float[] y, float[] g, int start, int count)
    {
        int i = start, end = start + count;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            int w = System.Numerics.Vector<float>.Count;
            for (; i <= end - w; i += w)
            {
                var yv = new System.Numerics.Vector<float>(y, i);
                var gv = new System.Numerics.Vector<float>(g, i);
                System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.GreaterThan(yv, System.Numerics.Vector<float>.Zero), gv, System.Numerics.Vector<float>.Zero).CopyTo(g, i);
            }
        }
        for (; i < end; i++) if (!(y[i] > 0)) g[i] = 0f;
    }

    // ---------------------------------------------------------------- losses

    /// <summary>
    /// Cross-entropy on logits [N, C] and class indices, exactly PyTorch's <c>F.cross_entropy</c> (reduction mean):
    /// with lp = log_softmax(logits), w = class weights (ones if null), ε = label smoothing, W = Σᵢ w[yᵢ]:
    /// loss = (1−ε)·Σᵢ w[yᵢ](−lp[i,yᵢ])/W + ε·Σᵢ Σ_c w[c](−lp[i,c])/C/W.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<long> targets, Tensor? classWeight = null, float labelSmoothing = 0f)
    {
        if (logits.Rank != 2) throw new ShapeMismatchException($"cross_entropy expects logits [N, C], got {Tensor.ShapeString(logits.Shape)}");
        int n = logits.Shape[0], c = logits.Shape[1];
        if (targets.Length != n) throw new ShapeMismatchException($"cross_entropy: {targets.Length} targets for {n} rows of logits {Tensor.ShapeString(logits.Shape)}");
        if (classWeight is not null && classWeight.Count != c) throw new ShapeMismatchException($"cross_entropy: class weight has {classWeight.Count} entries for {c} classes");
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new OptionsValidationException("F.CrossEntropy", [$"label_smoothing = {labelSmoothing} must be in [0, 1]"]);
        var y = targets.ToArray();
        foreach (var t in y) if (t < 0 || t >= c) throw new InvalidIndexException("cross_entropy target", t, $"[0, {c}) (the logits have {c} classes)");
        var lp = new double[n * c];
        var ld = logits._data;
        for (int i = 0; i < n; i++)
        {
            double mx = double.NegativeInfinity;
            for (int k = 0; k < c; k++) mx = Math.Max(mx, ld[i * c + k]);
            double s = 0;
            for (int k = 0; k < c; k++) s += Math.Exp(ld[i * c + k] - mx);
            double lse = mx + Math.Log(s);
            for (int k = 0; k < c; k++) lp[i * c + k] = ld[i * c + k] - lse;
        }
        double wOf(long k) => classWeight is null ? 1.0 : classWeight._data[k];
        double wsum = 0, nll = 0, smooth = 0;
        for (int i = 0; i < n; i++)
        {
            wsum += wOf(y[i]);
            nll += wOf(y[i]) * -lp[i * c + y[i]];
            for (int k = 0; k < c; k++) smooth += wOf(k) * -lp[i * c + k];
        }
        double eps = labelSmoothing;
        double loss = (1 - eps) * nll / wsum + eps * smooth / c / wsum;
        return Tensor.Result([(float)loss], [], "CrossEntropy", [logits], g =>
        {
            var d = new float[n * c];
            for (int i = 0; i < n; i++)
            {
                // dL/dlp[i,k] = −((1−ε)·w[y]·δ(k=y) + ε·w[k]/C)/W ; dlogits = dlp − softmax·Σ dlp
                double sum = 0;
                var dlp = new double[c];
                for (int k = 0; k < c; k++)
                {
                    dlp[k] = -(((k == y[i]) ? (1 - eps) * wOf(y[i]) : 0) + eps * wOf(k) / c) / wsum;
                    sum += dlp[k];
                }
                for (int k = 0; k < c; k++) d[i * c + k] = (float)(g[0] * (dlp[k] - Math.Exp(lp[i * c + k]) * sum));
            }
            logits.AccumulateGrad(d);
        });
    }

    /// <summary>Mean squared error mean((p − t)²); shapes must be equal.</summary>
    public static Tensor MseLoss(Tensor pred, Tensor target)
    {
        SameShape("mse_loss", pred, target);
        return (pred - target).Square().Mean();
    }

    /// <summary>Mean absolute error mean(|p − t|); the gradient at 0 is 0.</summary>
    public static Tensor L1Loss(Tensor pred, Tensor target)
    {
        SameShape("l1_loss", pred, target);
        return (pred - target).Abs().Mean();
    }

    /// <summary>Huber loss (PyTorch <c>HuberLoss</c>): d = p − t; 0.5d² if |d| &lt; δ else δ(|d| − 0.5δ); mean.</summary>
    public static Tensor HuberLoss(Tensor pred, Tensor target, float delta = 1f)
    {
        SameShape("huber_loss", pred, target);
        var d = pred - target;
        var dd = d._data;
        double s = 0;
        foreach (var v in dd) s += Math.Abs(v) < delta ? 0.5 * v * v : delta * (Math.Abs(v) - 0.5 * delta);
        int cnt = dd.Length;
        return Tensor.Result([(float)(s / cnt)], [], "HuberLoss", [d], g =>
        {
            var gd = new float[cnt];
            for (int i = 0; i < cnt; i++) gd[i] = g[0] / cnt * (Math.Abs(dd[i]) < delta ? dd[i] : delta * MathF.Sign(dd[i]));
            d.AccumulateGrad(gd);
        });
    }

    /// <summary>L2 weight penalty λ·Σₚ Σ p² over the given parameters (add to a loss; note no ½).</summary>
    public static Tensor L2Penalty(IEnumerable<Tensor> parameters, float lambda)
    {
        Tensor? acc = null;
        foreach (var p in parameters)
        {
            var s = p.Square().Sum();
            acc = acc is null ? s : acc + s;
        }
        return (acc ?? Tensor.Scalar(0)) * lambda;
    }

    /// <summary>Multi-objective loss Σₖ wₖ·Lₖ over scalar losses (e.g. classification + valence/arousal regression).</summary>
    public static Tensor WeightedSum(params (Tensor Loss, float Weight)[] terms)
    {
        if (terms.Length == 0) throw new ShapeMismatchException("WeightedSum got no terms; it needs at least one");
        Tensor? acc = null;
        foreach (var (l, w) in terms)
        {
            if (l.Count != 1) throw new ShapeMismatchException($"WeightedSum term must be a scalar loss, got shape {Tensor.ShapeString(l.Shape)}");
            var t = l * w;
            acc = acc is null ? t : acc + t;
        }
        return acc!;
    }

    private static void SameShape(string op, Tensor a, Tensor b)
    {
        if (!a.Shape.SequenceEqual(b.Shape)) throw new ShapeMismatchException($"{op}: prediction shape {Tensor.ShapeString(a.Shape)} differs from target shape {Tensor.ShapeString(b.Shape)}");
    }
}
