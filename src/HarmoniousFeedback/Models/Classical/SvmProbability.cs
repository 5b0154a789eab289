using System.Numerics.Tensors;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// libsvm's probability estimates for C-SVC (Chang &amp; Lin 2011, §8; sklearn's <c>SVC(probability=True)</c>):
/// per pair, Platt's sigmoid P(a | f) = 1 / (1 + exp(A·f + B)) fitted (Lin, Lin &amp; Weng 2007 Newton method) to
/// decision values from 5-fold cross-validation on that pair's rows; then pairwise coupling (Wu, Lin &amp; Weng 2004,
/// method 2) turns the k(k−1)/2 pairwise probabilities into class probabilities. The fold assignment is a seeded
/// shuffle, so estimates are deterministic but not bit-identical to scikit-learn's (whose shuffle uses NumPy's RNG).
/// </summary>
internal static class SvmProbability
{
    private const int Folds = 5;
    private const double MinProb = 1e-7;

    /// <summary>Platt's (A, B) for one binary problem: rows <paramref name="x"/> [l × d] with labels ±1.</summary>
    public static (double A, double B) FitPair(double[] x, int d, sbyte[] y, KernelParameters kernel, SvmOptions options,
                                               long cacheFloats, ulong seed)
    {
        int l = y.Length;
        var perm = new int[l];
        for (int i = 0; i < l; i++) perm[i] = i;
        var rng = new SplitMix64(seed);
        for (int i = 0; i < l; i++)
        {
            int j = i + (int)(rng.NextUInt64() % (ulong)(l - i));
            (perm[i], perm[j]) = (perm[j], perm[i]);
        }
        var dec = new double[l];
        for (int f = 0; f < Folds; f++)
        {
            int begin = f * l / Folds, end = (f + 1) * l / Folds;
            var trainIdx = perm[..begin].Concat(perm[end..]).ToArray();
            int pos = trainIdx.Count(i => y[i] > 0), neg = trainIdx.Length - pos;
            if (pos == 0 || neg == 0)
            {
                for (int t = begin; t < end; t++) dec[perm[t]] = pos > 0 ? 1 : neg > 0 ? -1 : 0;
                continue;
            }
            var sub = new double[trainIdx.Length * d];
            var sy = new sbyte[trainIdx.Length];
            for (int r = 0; r < trainIdx.Length; r++)
            {
                x.AsSpan(trainIdx[r] * d, d).CopyTo(sub.AsSpan(r * d, d));
                sy[r] = y[trainIdx[r]];
            }
            var solver = new SmoSolver((double[])sub.Clone(), d, sy, kernel, options.C, options.Tol, options.Shrinking, cacheFloats, parallelRows: false);
            var res = solver.Solve(options.MaxIter);
            var sv = Enumerable.Range(0, trainIdx.Length).Where(r => res.Alpha[r] > 0).ToArray();
            for (int t = begin; t < end; t++)
            {
                var xt = x.AsSpan(perm[t] * d, d);
                double sqt = TensorPrimitives.Dot(xt, xt), sum = 0;
                foreach (var r in sv)
                {
                    var xr = sub.AsSpan(r * d, d);
                    sum += sy[r] * res.Alpha[r] * kernel.FromDot(TensorPrimitives.Dot(xt, xr), TensorPrimitives.Dot(xr, xr), sqt);
                }
                dec[perm[t]] = sum - res.Rho;
            }
        }
        return SigmoidTrain(dec, y);
    }

    /// <summary>Platt scaling by Newton's method with backtracking (libsvm's <c>sigmoid_train</c>).</summary>
    internal static (double A, double B) SigmoidTrain(double[] dec, sbyte[] labels)
    {
        int l = dec.Length;
        double prior1 = labels.Count(v => v > 0), prior0 = l - prior1;
        const int maxIter = 100;
        const double minStep = 1e-10, sigma = 1e-12, eps = 1e-5;
        double hiTarget = (prior1 + 1) / (prior1 + 2), loTarget = 1 / (prior0 + 2);
        var t = labels.Select(v => v > 0 ? hiTarget : loTarget).ToArray();
        double a = 0, b = Math.Log((prior0 + 1) / (prior1 + 1));
        double Objective(double aa, double bb)
        {
            double f = 0;
            for (int i = 0; i < l; i++)
            {
                double fApB = dec[i] * aa + bb;
                f += fApB >= 0 ? t[i] * fApB + Math.Log(1 + Math.Exp(-fApB)) : (t[i] - 1) * fApB + Math.Log(1 + Math.Exp(fApB));
            }
            return f;
        }
        double fval = Objective(a, b);
        for (int iter = 0; iter < maxIter; iter++)
        {
            double h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
            for (int i = 0; i < l; i++)
            {
                double fApB = dec[i] * a + b, p, q;
                if (fApB >= 0) { p = Math.Exp(-fApB) / (1 + Math.Exp(-fApB)); q = 1 / (1 + Math.Exp(-fApB)); }
                else { p = 1 / (1 + Math.Exp(fApB)); q = Math.Exp(fApB) / (1 + Math.Exp(fApB)); }
                double d2 = p * q;
                h11 += dec[i] * dec[i] * d2;
                h22 += d2;
                h21 += dec[i] * d2;
                double d1 = t[i] - p;
                g1 += dec[i] * d1;
                g2 += d1;
            }
            if (Math.Abs(g1) < eps && Math.Abs(g2) < eps) break;
            double det = h11 * h22 - h21 * h21;
            double dA = -(h22 * g1 - h21 * g2) / det, dB = -(-h21 * g1 + h11 * g2) / det;
            double gd = g1 * dA + g2 * dB;
            double step = 1;
            while (step >= minStep)
            {
                double na = a + step * dA, nb = b + step * dB, nf = Objective(na, nb);
                if (nf < fval + 0.0001 * step * gd) { a = na; b = nb; fval = nf; break; }
                step /= 2;
            }
            if (step < minStep) break;
        }
        return (a, b);
    }

    /// <summary>P(first class of the pair | f) by the fitted sigmoid, clipped to [1e-7, 1 − 1e-7].</summary>
    public static double Sigmoid(double f, double a, double b)
    {
        double fApB = f * a + b;
        double p = fApB >= 0 ? Math.Exp(-fApB) / (1 + Math.Exp(-fApB)) : 1 / (1 + Math.Exp(fApB));
        return Math.Min(Math.Max(p, MinProb), 1 - MinProb);
    }

    /// <summary>
    /// Wu, Lin &amp; Weng (2004) method 2 (libsvm's <c>multiclass_probability</c>): p minimising
    /// Σ_t Σ_{j≠t} (r_jt p_t − r_tj p_j)² on the simplex, by its fixed-point iteration; r[i, j] = P(i | i or j).
    /// </summary>
    public static void Couple(double[,] r, Span<double> p)
    {
        int k = p.Length;
        int maxIter = Math.Max(100, k);
        double eps = 0.005 / k;
        var q = new double[k, k];
        var qp = new double[k];
        for (int t = 0; t < k; t++)
        {
            p[t] = 1.0 / k;
            q[t, t] = 0;
            for (int j = 0; j < t; j++) { q[t, t] += r[j, t] * r[j, t]; q[t, j] = q[j, t]; }
            for (int j = t + 1; j < k; j++) { q[t, t] += r[j, t] * r[j, t]; q[t, j] = -r[j, t] * r[t, j]; }
        }
        for (int iter = 0; iter < maxIter; iter++)
        {
            double pqp = 0;
            for (int t = 0; t < k; t++)
            {
                qp[t] = 0;
                for (int j = 0; j < k; j++) qp[t] += q[t, j] * p[j];
                pqp += p[t] * qp[t];
            }
            double maxError = 0;
            for (int t = 0; t < k; t++) maxError = Math.Max(maxError, Math.Abs(qp[t] - pqp));
            if (maxError < eps) break;
            for (int t = 0; t < k; t++)
            {
                double diff = (-qp[t] + pqp) / q[t, t];
                p[t] += diff;
                pqp = (pqp + diff * (diff * q[t, t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
                for (int j = 0; j < k; j++)
                {
                    qp[j] = (qp[j] + diff * q[t, j]) / (1 + diff);
                    p[j] /= 1 + diff;
                }
            }
        }
    }
}
