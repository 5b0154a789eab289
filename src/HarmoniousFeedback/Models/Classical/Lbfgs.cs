namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// Limited-memory BFGS (Liu &amp; Nocedal 1989; Nocedal &amp; Wright, Numerical Optimization, Alg. 7.4/7.5) with a
/// line search satisfying the strong Wolfe conditions (N&amp;W Alg. 3.5/3.6: bracketing, then zoom by safeguarded
/// cubic interpolation; c₁ = 10⁻⁴, c₂ = 0.9). Stopping rules follow SciPy's L-BFGS-B as scikit-learn calls it:
/// max|∇f| ≤ gtol, or (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol (SciPy's default 2.22·10⁻⁹), or the
/// iteration limit. The first step length is 1/‖∇f‖ (SciPy's), later ones start at 1.
/// </summary>
internal static class Lbfgs
{
    public delegate double Objective(ReadOnlySpan<double> x, Span<double> gradient);

    private const double C1 = 1e-4, C2 = 0.9;
    private const int MaxLineSearch = 20;

    public static LbfgsResult Minimize(Objective f, double[] x0, double gtol, double ftol, int maxIter, int memory = 10)
    {
        int n = x0.Length;
        var x = (double[])x0.Clone();
        var g = new double[n];
        double fx = f(x, g);
        int evals = 1;
        if (!double.IsFinite(fx)) return new LbfgsResult(x, fx, 0, evals, false, "objective is not finite at the start");
        var s = new double[memory][];
        var y = new double[memory][];
        var rho = new double[memory];
        var a = new double[memory];
        for (int m = 0; m < memory; m++) { s[m] = new double[n]; y[m] = new double[n]; }
        int stored = 0, head = 0;
        var d = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];

        if (MaxAbs(g) <= gtol) return new LbfgsResult(x, fx, 0, evals, true, "gradient below gtol");
        for (int iter = 1; iter <= maxIter; iter++)
        {
            // d = −H∇f by the two-loop recursion, H₀ = (sᵀy / yᵀy) I.
            for (int i = 0; i < n; i++) d[i] = -g[i];
            for (int t = 0; t < stored; t++)
            {
                int m = (head - 1 - t + memory) % memory;
                a[m] = rho[m] * Dot(s[m], d);
                Axpy(-a[m], y[m], d);
            }
            if (stored > 0)
            {
                int last = (head - 1 + memory) % memory;
                double gamma = Dot(s[last], y[last]) / Dot(y[last], y[last]);
                for (int i = 0; i < n; i++) d[i] *= gamma;
            }
            for (int t = stored - 1; t >= 0; t--)
            {
                int m = (head - 1 - t + memory) % memory;
                double b = rho[m] * Dot(y[m], d);
                Axpy(a[m] - b, s[m], d);
            }
            double dg0 = Dot(g, d);
            if (!(dg0 < 0))
            {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                stored = 0;
                for (int i = 0; i < n; i++) d[i] = -g[i];
                dg0 = Dot(g, d);
            }
            double step = stored == 0 && iter == 1 ? 1.0 / Math.Sqrt(Dot(d, d)) : 1.0;

            double fNew = LineSearch(f, x, fx, dg0, d, step, xNew, gNew, ref evals, out bool ok);
            if (!ok)
            {
                return new LbfgsResult(x, fx, iter - 1, evals, MaxAbs(g) <= gtol, "line search could not satisfy the Wolfe conditions");
            }
            // Curvature pair.
            var sm = s[head];
            var ym = y[head];
            for (int i = 0; i < n; i++) { sm[i] = xNew[i] - x[i]; ym[i] = gNew[i] - g[i]; }
            double sy = Dot(sm, ym);
            if (sy > 1e-10 * Dot(ym, ym))
            {
                rho[head] = 1.0 / sy;
                head = (head + 1) % memory;
                stored = Math.Min(stored + 1, memory);
            }
            double fOld = fx;
            Array.Copy(xNew, x, n);
            Array.Copy(gNew, g, n);
            fx = fNew;
            if (MaxAbs(g) <= gtol) return new LbfgsResult(x, fx, iter, evals, true, "gradient below gtol");
            if ((fOld - fx) / Math.Max(Math.Max(Math.Abs(fOld), Math.Abs(fx)), 1) <= ftol)
                return new LbfgsResult(x, fx, iter, evals, true, "relative reduction of f below ftol");
        }
        return new LbfgsResult(x, fx, maxIter, evals, false, "iteration limit reached");
    }

    /// <summary>Strong-Wolfe line search along <paramref name="d"/> from <paramref name="x"/>; writes the accepted point and gradient.</summary>
    private static double LineSearch(Objective f, double[] x, double f0, double dg0, double[] d, double alpha1,
                                     double[] xOut, double[] gOut, ref int evals, out bool ok)
    {
        int n = x.Length;
        double lastAlpha = double.NaN, lastF = double.NaN;
        double Eval(double alpha, out double dg)
        {
            for (int i = 0; i < n; i++) xOut[i] = x[i] + alpha * d[i];
            double v = f(xOut, gOut);
            lastAlpha = alpha;
            lastF = v;
            dg = Dot(gOut, d);
            return v;
        }
        double Accept(double alpha, ref int ev, out bool success)
        {
            success = true;
            if (alpha == lastAlpha) return lastF;
            ev++;
            return Eval(alpha, out _);
        }

        double aPrev = 0, fPrev = f0, dgPrev = dg0;
        double a = alpha1;
        for (int it = 0; it < MaxLineSearch; it++)
        {
            double fa = Eval(a, out double dga);
            evals++;
            if (!double.IsFinite(fa) || fa > f0 + C1 * a * dg0 || (it > 0 && fa >= fPrev))
                return Zoom(aPrev, fPrev, dgPrev, a, fa, dga, ref evals, out ok);
            if (Math.Abs(dga) <= -C2 * dg0) { ok = true; return fa; }
            if (dga >= 0) return Zoom(a, fa, dga, aPrev, fPrev, dgPrev, ref evals, out ok);
            aPrev = a; fPrev = fa; dgPrev = dga;
            a *= 2;
        }
        ok = false;
        return f0;

        double Zoom(double lo, double flo, double dglo, double hi, double fhi, double dghi, ref int ev, out bool success)
        {
            for (int it = 0; it < MaxLineSearch; it++)
            {
                double aj = Cubic(lo, flo, dglo, hi, fhi, dghi);
                double fj = Eval(aj, out double dgj);
                ev++;
                if (!double.IsFinite(fj) || fj > f0 + C1 * aj * dg0 || fj >= flo)
                {
                    hi = aj; fhi = fj; dghi = dgj;
                }
                else
                {
                    if (Math.Abs(dgj) <= -C2 * dg0) { success = true; return fj; }
                    if (dgj * (hi - lo) >= 0) { hi = lo; fhi = flo; dghi = dglo; }
                    lo = aj; flo = fj; dglo = dgj;
                }
                if (Math.Abs(hi - lo) < 1e-16 * Math.Max(1, Math.Abs(lo))) break;
            }
            // Fall back to the best point with sufficient decrease, if any.
            if (lo > 0 && flo < f0) return Accept(lo, ref ev, out success);
            success = false;
            return f0;
        }
    }

    /// <summary>Minimiser of the cubic through (a, fa, ga), (b, fb, gb), kept at least 10 % of the interval away from its ends.</summary>
    private static double Cubic(double a, double fa, double ga, double b, double fb, double gb)
    {
        double lo = Math.Min(a, b), hi = Math.Max(a, b), width = hi - lo;
        double d1 = ga + gb - 3 * (fa - fb) / (a - b);
        double disc = d1 * d1 - ga * gb;
        double t = double.NaN;
        if (double.IsFinite(fb) && disc >= 0)
        {
            double d2 = Math.Sign(b - a) * Math.Sqrt(disc);
            t = b - (b - a) * (gb + d2 - d1) / (gb - ga + 2 * d2);
        }
        if (!double.IsFinite(t) || t < lo + 0.1 * width || t > hi - 0.1 * width) t = lo + 0.5 * width;
        return t;
    }

    private static double Dot(double[] u, double[] v) => System.Numerics.Tensors.TensorPrimitives.Dot<double>(u, v);

    private static void Axpy(double alpha, double[] x, double[] y)
    {
        for (int i = 0; i < y.Length; i++) y[i] += alpha * x[i];
    }

    private static double MaxAbs(double[] v)
    {
        double m = 0;
        foreach (var t in v) m = Math.Max(m, Math.Abs(t));
        return m;
    }
}
