using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Tests.Features;

/// <summary>
/// The reference the fast <see cref="ReferenceAlignment"/> is tested against: its implementation as of commit cf9cabe
/// (before the batched STFT, the per-score reference frames and the vectorised loops), copied verbatim except that the
/// chroma comes from <see cref="Chroma.ComputePerFrame"/> (the frame-by-frame spectrogram it used then). Do not optimise.
/// </summary>
internal sealed class ReferenceAlignmentReference
{
    private readonly NormalizedLogMel _logMel;
    private readonly Chroma _chroma;

    public ReferenceAlignmentReference(ReferenceAlignmentOptions? options = null)
    {
        Options = options ?? new ReferenceAlignmentOptions();
        Options.Validate();
        _logMel = new NormalizedLogMel(Options.LogMel);
        _chroma = new Chroma(Options.Chroma);
    }

    public ReferenceAlignmentOptions Options { get; }

    /// <summary>Aligns <paramref name="reference"/> (the score rendered) to <paramref name="performance"/>; both mono at <see cref="ReferenceAlignmentOptions.SampleRate"/>.</summary>
    public ReferenceAlignmentResult Compute(AudioClip performance, AudioClip reference)
    {
        var ds = _logMel.ComputeDb(performance);
        var dr = _logMel.ComputeDb(reference);
        var cs = _chroma.ComputePerFrame(performance.ToMono());
        var cr = _chroma.ComputePerFrame(reference.ToMono());
        int n = Math.Min(ds.Rows, cs.Rows), m = Math.Min(dr.Rows, cr.Rows);
        var ls = Levels(ds);
        var lr = Levels(dr);
        Silence(cs, ls, n, Options.SilenceDb);
        Silence(cr, lr, m, Options.SilenceDb);
        var pos = Path(cs, n, cr, m, out double cost);
        var xs = NormalizedLogMel.Normalize(ds, Options.LogMel.TopDb!.Value);
        var xr = NormalizedLogMel.Normalize(dr, Options.LogMel.TopDb!.Value);
        int mels = ds.Columns;
        var jHat = new int[n];
        for (int i = 0; i < n; i++) jHat[i] = Math.Clamp((int)Math.Round(pos[i]), 0, m - 1);

        var aligned = new float[n * mels];
        for (int i = 0; i < n; i++) xr.Data.AsSpan(jHat[i] * mels, mels).CopyTo(aligned.AsSpan(i * mels, mels));
        var times = ds.FrameTimes.AsSpan(0, n).ToArray();
        var features = Features(pos, jHat, cs, cr, ls, lr, Onsets(ds), Onsets(dr), n);
        var student = n == ds.Rows ? xs : new FeatureMatrix(xs.Data.AsSpan(0, n * mels).ToArray(), n, mels, xs.FeatureNames, times, xs.Options);
        return new ReferenceAlignmentResult(student,
            new FeatureMatrix(aligned, n, mels, xr.FeatureNames, times, Options),
            new FeatureMatrix(features, n, ReferenceAlignment.FeatureNames.Count, ReferenceAlignment.FeatureNames, times, Options),
            pos, m, cost);
    }

    private double[] Path(FeatureMatrix cs, int n, FeatureMatrix cr, int m, out double cost)
    {
        int q = 1;
        while ((long)((n + q - 1) / q) * ((m + q - 1) / q) > Dtw.MaxCells / 2) q++;
        int smooth = (int)Math.Round(Options.ChromaSmoothingSeconds * Options.SampleRate / Options.HopLength);
        var vs = DtwVectors(cs, n, q, (float)Options.ChromaCompression, smooth);
        var vr = DtwVectors(cr, m, q, (float)Options.ChromaCompression, smooth);
        int nq = vs.Length / 13, mq = vr.Length / 13;
        var c = new float[nq * mq];
        for (int i = 0; i < nq; i++)
        {
            var a = vs.AsSpan(i * 13, 13);
            for (int j = 0; j < mq; j++)
                c[i * mq + j] = 1f - System.Numerics.Tensors.TensorPrimitives.Dot(a, vr.AsSpan(j * 13, 13));
        }
        var (qi, rj, total) = Dtw.Align(c, nq, mq, Options.StepPenalty);
        cost = total;
        var pq = Dtw.ReferencePositions(qi, rj, nq);
        if (q == 1) return pq;
        var pos = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u = (i - (q - 1) / 2.0) / q;               // position of frame i on the decimated axis
            int a = Math.Clamp((int)Math.Floor(u), 0, nq - 1), b = Math.Min(a + 1, nq - 1);
            double t = Math.Clamp(u - a, 0, 1);
            pos[i] = Math.Clamp(((1 - t) * pq[a] + t * pq[b]) * q + (q - 1) / 2.0, 0, m - 1);
        }
        return pos;
    }

    /// <summary>Zeros the chroma of frames more than SilenceDb below the loudest (in place).</summary>
    private static void Silence(FeatureMatrix chroma, double[] level, int rows, double silenceDb)
    {
        double max = double.NegativeInfinity;
        for (int i = 0; i < rows; i++) max = Math.Max(max, level[i]);
        for (int i = 0; i < rows; i++)
            if (level[i] < max - silenceDb) chroma.Data.AsSpan(i * 12, 12).Clear();
    }

    /// <summary>Unit-length [log(1 + γ·chroma); silent] vectors, averaged over ±<paramref name="smooth"/> frames, then over runs of q frames.</summary>
    private static float[] DtwVectors(FeatureMatrix chroma, int rows, int q, float gamma, int smooth)
    {
        var frame = new float[rows * 13];
        for (int i = 0; i < rows; i++)
        {
            var src = chroma.Data.AsSpan(i * 12, 12);
            var dst = frame.AsSpan(i * 13, 13);
            bool silent = true;
            for (int c = 0; c < 12; c++) { dst[c] = MathF.Log(1 + gamma * src[c]); if (src[c] != 0) silent = false; }
            if (silent) dst[12] = 1;
        }
        int nq = (rows + q - 1) / q;
        var v = new float[nq * 13];
        for (int i = 0; i < rows; i++)
        {
            var dst = v.AsSpan(i / q * 13, 13);
            for (int k = Math.Max(0, i - smooth); k <= Math.Min(rows - 1, i + smooth); k++)
                System.Numerics.Tensors.TensorPrimitives.Add(dst, frame.AsSpan(k * 13, 13), dst);
        }
        for (int i = 0; i < nq; i++)
        {
            var r = v.AsSpan(i * 13, 13);
            float norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(r, r));
            if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(r, norm, r);
        }
        return v;
    }

    private static double[] Levels(FeatureMatrix db)
    {
        var l = new double[db.Rows];
        for (int i = 0; i < db.Rows; i++)
        {
            double s = 0;
            foreach (var v in db.Data.AsSpan(i * db.Columns, db.Columns)) s += Math.Pow(10, v / 10.0);
            l[i] = 10 * Math.Log10(s / db.Columns + 1e-12);
        }
        return l;
    }

    private static double[] Onsets(FeatureMatrix db)
    {
        var o = new double[db.Rows];
        int c = db.Columns;
        for (int i = 1; i < db.Rows; i++)
        {
            double s = 0;
            for (int k = 0; k < c; k++) s += Math.Max(0, db.Data[i * c + k] - db.Data[(i - 1) * c + k]);
            o[i] = s / c;
        }
        return o;
    }

    private float[] Features(double[] pos, int[] jHat, FeatureMatrix cs, FeatureMatrix cr, double[] ls, double[] lr, double[] os, double[] or, int n)
    {
        double hop = (double)Options.HopLength / Options.SampleRate;
        int w = Math.Max(1, (int)Math.Round(Options.TempoWindowSeconds / 2 / hop));
        int w2 = Math.Max(1, (int)Math.Round(Options.ResidualWindowSeconds / 2 / hop));
        int w3 = Math.Max(1, (int)Math.Round(Options.ContrastWindowSeconds / 2 / hop));
        int k = ReferenceAlignment.FeatureNames.Count;
        var f = new float[n * k];
        var levelDiff = new double[n];
        for (int i = 0; i < n; i++) levelDiff[i] = ls[i] - lr[jHat[i]];
        var sorted = (double[])levelDiff.Clone();
        Array.Sort(sorted);
        double median = sorted[n / 2];
        var alignedLr = new double[n];
        for (int i = 0; i < n; i++) alignedLr[i] = lr[jHat[i]];
        var smoothPos = RunningMedian(pos, Math.Max(0, (int)Math.Round(Options.PathMedianSeconds / hop)));
        var onsetS = MaxFilter(os, 2);
        var onsetR = MaxFilter(or, 2);
        double scaleS = Percentile95(os), scaleR = Percentile95(or);
        int activeS = LastActive(ls), activeR = LastActive(lr);
        for (int i = 0; i < n; i++)
        {
            var row = f.AsSpan(i * k, k);
            int a = Math.Max(0, i - w), b = Math.Min(n - 1, i + w);
            bool tail = i > activeS && jHat[i] > activeR;
            double rho = b > a ? (smoothPos[b] - smoothPos[a]) / (b - a) : 1;
            row[0] = tail ? 0f : (float)Math.Clamp(Math.Log(Math.Max(0.05, rho)), -1, 1);
            int half = Math.Min(w2, Math.Min(i, n - 1 - i));   // symmetric window, shrunk at the ends (a straight path has no residual)
            row[1] = tail ? 0f : (float)Math.Clamp((pos[i] - Mean(smoothPos, i - half, i + half)) * hop / 0.1, -1, 1);
            var s = cs.Data.AsSpan(i * 12, 12);
            var r = cr.Data.AsSpan(jHat[i] * 12, 12);
            double dot = 0, ns = 0, nr = 0, excess = 0, deficit = 0;
            for (int c = 0; c < 12; c++)
            {
                dot += s[c] * r[c]; ns += s[c] * s[c]; nr += r[c] * r[c];
                excess += Math.Max(0, s[c] - r[c]);
                deficit += Math.Max(0, r[c] - s[c]);
            }
            row[2] = ns == 0 && nr == 0 ? 0f : ns == 0 || nr == 0 ? 1f : (float)(1 - dot / Math.Sqrt(ns * nr));
            row[3] = (float)(excess / 12);
            row[4] = (float)(deficit / 12);
            row[5] = (float)Math.Clamp((levelDiff[i] - median) / 20, -2, 2);
            row[6] = (float)Math.Clamp(onsetS[i] / scaleS - onsetR[jHat[i]] / scaleR, -2, 2);
            row[7] = (float)Math.Clamp((Std(ls, i - w3, i + w3) - Std(alignedLr, i - w3, i + w3)) / 10, -2, 2);
        }
        return f;
    }

    private static double Percentile95(double[] x)
    {
        var s = (double[])x.Clone();
        Array.Sort(s);
        return Math.Max(1e-3, s[(int)(0.95 * (s.Length - 1))]);
    }

    /// <summary>The last frame whose level is within 30 dB of the loudest.</summary>
    private static int LastActive(double[] level)
    {
        double max = level.Max();
        for (int i = level.Length - 1; i >= 0; i--) if (level[i] >= max - 30) return i;
        return level.Length - 1;
    }

    /// <summary>Running median over ±<paramref name="half"/> (window shrunk symmetrically at the ends).</summary>
    private static double[] RunningMedian(double[] x, int half)
    {
        var y = new double[x.Length];
        var buf = new double[2 * half + 1];
        for (int i = 0; i < x.Length; i++)
        {
            int h = Math.Min(half, Math.Min(i, x.Length - 1 - i)), len = 2 * h + 1;
            Array.Copy(x, i - h, buf, 0, len);
            Array.Sort(buf, 0, len);
            y[i] = buf[h];
        }
        return y;
    }

    private static double[] MaxFilter(double[] x, int half)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double m = double.NegativeInfinity;
            for (int k = Math.Max(0, i - half); k <= Math.Min(x.Length - 1, i + half); k++) m = Math.Max(m, x[k]);
            y[i] = m;
        }
        return y;
    }

    private static double Mean(double[] x, int from, int to)
    {
        from = Math.Max(0, from); to = Math.Min(x.Length - 1, to);
        double s = 0;
        for (int i = from; i <= to; i++) s += x[i];
        return s / (to - from + 1);
    }

    private static double Std(double[] x, int from, int to)
    {
        from = Math.Max(0, from); to = Math.Min(x.Length - 1, to);
        double mean = Mean(x, from, to), s = 0;
        for (int i = from; i <= to; i++) s += (x[i] - mean) * (x[i] - mean);
        return Math.Sqrt(s / (to - from + 1));
    }
}
