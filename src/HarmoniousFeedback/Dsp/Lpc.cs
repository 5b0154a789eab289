using System.Numerics;

namespace HarmoniousFeedback.Dsp;

/// <summary>Linear prediction by the autocorrelation method, and polynomial roots (for formants).</summary>
public static class Lpc
{
    /// <summary>Biased autocorrelation <c>r[k] = Σ_n x[n]·x[n+k]</c>, k = 0..order, in double.</summary>
    public static void Autocorrelation(ReadOnlySpan<double> x, Span<double> r)
    {
        for (int k = 0; k < r.Length; k++)
            r[k] = k < x.Length ? System.Numerics.Tensors.TensorPrimitives.Dot(x[..^k], x[k..]) : 0;
    }

    /// <summary>
    /// Levinson–Durbin recursion: from <c>r[0..p]</c> to the predictor polynomial
    /// <c>A(z) = 1 + a[1]z^{−1} + … + a[p]z^{−p}</c> (<paramref name="a"/> has length p+1, a[0] = 1) minimising the
    /// forward prediction error. Returns the final prediction error power (0 for a silent frame, where a = [1, 0, …]).
    /// </summary>
    public static double LevinsonDurbin(ReadOnlySpan<double> r, Span<double> a)
    {
        int p = r.Length - 1;
        a.Clear();
        a[0] = 1;
        double err = r[0];
        if (err <= 0) return 0;
        Span<double> tmp = stackalloc double[p + 1];
        for (int i = 1; i <= p; i++)
        {
            double acc = r[i];
            for (int j = 1; j < i; j++) acc += a[j] * r[i - j];
            double k = -acc / err;
            a[..(i + 1)].CopyTo(tmp);
            for (int j = 1; j < i; j++) a[j] = tmp[j] + k * tmp[i - j];
            a[i] = k;
            err *= 1 - k * k;
            if (err <= 0) { err = 0; break; }
        }
        return err;
    }

    /// <summary>
    /// Roots of <c>c[0]·z^n + c[1]·z^{n−1} + … + c[n]</c> (c[0] ≠ 0) by the Aberth–Ehrlich simultaneous iteration
    /// (cubically convergent) in complex double: <c>w_i = p(z_i)/p′(z_i)</c>,
    /// <c>z_i ← z_i − w_i / (1 − w_i·Σ_{j≠i} 1/(z_i − z_j))</c>, started on a circle of radius 0.9 at angles offset from
    /// the real axis; each root stops moving once its step is below <paramref name="tolerance"/> (relative).
    /// </summary>
    public static Complex[] Roots(ReadOnlySpan<double> c, int maxIterations = 200, double tolerance = 1e-10)
    {
        int n = c.Length - 1;
        if (n < 1) return [];
        if (c[0] == 0) throw LeadingZero(n);
        var zr = new double[n]; var zi = new double[n];
        Roots(c, zr, zi, warmStart: false, maxIterations, tolerance);
        var z = new Complex[n];
        for (int i = 0; i < n; i++) z[i] = new Complex(zr[i], zi[i]);
        return z;
    }

    private static ShapeMismatchException LeadingZero(int n)
        => new($"c has {n + 1} coefficients (degree {n}) but c[0] = 0: the polynomial's degree is lower than its length says; drop the leading zeros");

    /// <summary>
    /// Allocation-free form of <see cref="Roots(ReadOnlySpan{double}, int, double)"/> (degree n ≤ 256): roots into
    /// <paramref name="zr"/>/<paramref name="zi"/> (length n). With <paramref name="warmStart"/> the iteration starts from
    /// the values already in zr/zi (e.g. the previous frame's roots, which are close for slowly changing LPC polynomials)
    /// instead of the circle; the converged roots are the same to the tolerance, only the iteration count changes.
    /// Returns true when every root converged within <paramref name="maxIterations"/>.
    /// </summary>
    public static bool Roots(ReadOnlySpan<double> c, Span<double> zr, Span<double> zi, bool warmStart, int maxIterations = 200, double tolerance = 1e-10)
    {
        int n = c.Length - 1;
        if (n < 1) return true;
        if (n > 256) throw new ShapeMismatchException($"c has {c.Length} coefficients (degree {n}); the span form supports degree ≤ 256, use Roots(c) beyond");
        if (c[0] == 0) throw LeadingZero(n);
        if (zr.Length < n || zi.Length < n) throw new ShapeMismatchException($"root buffers zr/zi have {zr.Length}/{zi.Length} slots; degree {n} needs {n}");
        Span<double> mon = stackalloc double[n + 1];
        for (int i = 0; i <= n; i++) mon[i] = c[i] / c[0];
        // Real and imaginary parts in separate arrays: plain double arithmetic is several times faster than Complex here.
        Span<bool> done = stackalloc bool[n];
        done.Clear();
        if (!warmStart)
            for (int i = 0; i < n; i++) { double ang = 2 * Math.PI * (i + 0.25) / n + 0.4; zr[i] = 0.9 * Math.Cos(ang); zi[i] = 0.9 * Math.Sin(ang); }
        int remaining = n;
        for (int it = 0; it < maxIterations && remaining > 0; it++)
        {
            for (int i = 0; i < n; i++)
            {
                if (done[i]) continue;
                double xr = zr[i], xi = zi[i];
                double pr = mon[0], pi = 0, dr = 0, di = 0; // Horner for p and p′
                for (int k = 1; k <= n; k++)
                {
                    double ndr = dr * xr - di * xi + pr, ndi = dr * xi + di * xr + pi;
                    double npr = pr * xr - pi * xi + mon[k], npi = pr * xi + pi * xr;
                    dr = ndr; di = ndi; pr = npr; pi = npi;
                }
                if (pr == 0 && pi == 0) { done[i] = true; remaining--; continue; }
                double dd = dr * dr + di * di;
                double wr, wi; // w = p/p′
                if (dd == 0) { wr = 1e-3; wi = 1e-3; }
                else { wr = (pr * dr + pi * di) / dd; wi = (pi * dr - pr * di) / dd; }
                double sr = 0, si = 0; // Σ 1/(z_i − z_j)
                for (int j = 0; j < n; j++)
                {
                    if (j == i) continue;
                    double ur = xr - zr[j], ui = xi - zi[j], m2 = ur * ur + ui * ui;
                    if (m2 > 0) { double inv = 1 / m2; sr += ur * inv; si -= ui * inv; }
                }
                double qr = 1 - (wr * sr - wi * si), qi = -(wr * si + wi * sr); // 1 − w·Σ
                double q2 = qr * qr + qi * qi;
                double str, sti;
                if (q2 == 0 || !double.IsFinite(q2)) { str = wr; sti = wi; }
                else { str = (wr * qr + wi * qi) / q2; sti = (wi * qr - wr * qi) / q2; }
                zr[i] = xr - str; zi[i] = xi - sti;
                double step2 = str * str + sti * sti, mag2 = zr[i] * zr[i] + zi[i] * zi[i];
                if (step2 <= tolerance * tolerance * Math.Max(1, mag2)) { done[i] = true; remaining--; }
            }
        }
        for (int i = 0; i < n; i++) if (!double.IsFinite(zr[i]) || !double.IsFinite(zi[i])) return false;
        return remaining == 0;
    }
}
