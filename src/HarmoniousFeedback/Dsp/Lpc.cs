using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        if (c[0] == 0) throw new ArgumentException("leading coefficient must be non-zero", nameof(c));
        var zr = new double[n]; var zi = new double[n];
        Roots(c, zr, zi, warmStart: false, maxIterations, tolerance);
        var z = new Complex[n];
        for (int i = 0; i < n; i++) z[i] = new Complex(zr[i], zi[i]);
        return z;
    }

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
        if (n > 256) throw new ArgumentException($"degree {n} > 256 is not supported by the span form", nameof(c));
        if (c[0] == 0) throw new ArgumentException("leading coefficient must be non-zero", nameof(c));
        if (zr.Length < n || zi.Length < n) throw new ArgumentException($"root buffers have {zr.Length}/{zi.Length} slots, degree is {n}");
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

/// <summary>
/// Rational-ratio resampler (<c>L/M</c>, reduced) with a Hann-windowed sinc low-pass at
/// <c>0.5·min(1/L, 1/M)·Rolloff</c> of the up-sampled rate, 16 zero crossings each side, zero phase (output sample n is
/// aligned with input time <c>n·M/L</c>). Used explicitly by formant analysis; never applied silently.
/// </summary>
public sealed class RationalResampler
{
    public int InputRate { get; }
    public int OutputRate { get; }
    public int Up { get; }
    public int Down { get; }
    private readonly double[] _h; // indexed by t + _half, t in up-sampled samples
    private readonly int _half;
    // Polyphase form: for t_start = t0 − jLo·Up ∈ (half − Up, half], taps h(t_start − k·Up), k = 0..K−1, as float.
    private readonly float[][] _phase;
    // The same taps zero-padded to whole 512-bit vectors (fast path; zero taps add exact zeros).
    private readonly float[][] _phasePadded;

    public RationalResampler(int inputRate, int outputRate, double rolloff = 0.94, int zeroCrossings = 16)
    {
        var v = new OptionsValidator(nameof(RationalResampler));
        v.Positive(nameof(inputRate), inputRate).Positive(nameof(outputRate), outputRate).InRange(nameof(rolloff), rolloff, 0.1, 1.0);
        v.ThrowFeatureIfAny();
        InputRate = inputRate; OutputRate = outputRate;
        int g = (int)BigInteger.GreatestCommonDivisor(inputRate, outputRate);
        Up = outputRate / g; Down = inputRate / g;
        int mx = Math.Max(Up, Down);
        double fc = 0.5 / mx * rolloff; // cycles per up-sampled sample
        _half = zeroCrossings * mx;
        _h = new double[2 * _half + 1];
        for (int t = -_half; t <= _half; t++)
        {
            double x = 2 * fc * t;
            double sinc = t == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
            double w = 0.5 + 0.5 * Math.Cos(Math.PI * t / (_half + 1));
            _h[t + _half] = 2 * fc * Up * sinc * w;
        }
        _phase = new float[Up][];
        for (int p = 0; p < Up; p++)
        {
            int tStart = _half - p;
            int k = (tStart + _half) / Up + 1;
            _phase[p] = new float[k];
            for (int i = 0; i < k; i++) _phase[p][i] = (float)_h[tStart - i * Up + _half];
        }
        _phasePadded = new float[Up][];
        for (int p = 0; p < Up; p++)
        {
            _phasePadded[p] = new float[(_phase[p].Length + 15) / 16 * 16];
            _phase[p].CopyTo(_phasePadded[p], 0);
        }
    }

    /// <summary>
    /// Half-width of the interpolation filter in up-sampled samples: output o reads input samples j with
    /// <c>|o·Down − j·Up| ≤ HalfWidth</c> (plus up to 15 zero taps of the vector path).
    /// </summary>
    internal int HalfWidth => _half;

    /// <summary>Number of output samples for <paramref name="inputLength"/> inputs: <c>ceil(N·L/M)</c>.</summary>
    public int OutputLength(int inputLength) => (int)(((long)inputLength * Up + Down - 1) / Down);

    /// <summary>Resamples <paramref name="x"/>; samples outside the signal count as zero.</summary>
    public float[] Process(ReadOnlySpan<float> x)
    {
        if (Up == Down) return x.ToArray();
        int n = OutputLength(x.Length);
        var y = new float[n];
        for (int o = 0; o < n; o++)
        {
            long t0 = (long)o * Down;
            long jLo = FloorDiv(t0 - _half + Up - 1, Up); // first j with t0 − j·Up ≤ half
            int p = (int)(_half - (t0 - jLo * Up));       // phase: t_start = half − p
            var taps = _phase[p];
            if (jLo >= 0 && Vector512.IsHardwareAccelerated && jLo + _phasePadded[p].Length <= x.Length)
                y[o] = Dot512(x.Slice((int)jLo, _phasePadded[p].Length), _phasePadded[p]);
            else if (jLo >= 0 && jLo + taps.Length <= x.Length)
                y[o] = System.Numerics.Tensors.TensorPrimitives.Dot(x.Slice((int)jLo, taps.Length), taps);
            else
            {
                double s = 0;
                for (int k = 0; k < taps.Length; k++)
                {
                    long j = jLo + k;
                    if (j >= 0 && j < x.Length) s += x[(int)j] * taps[k];
                }
                y[o] = (float)s;
            }
        }
        return y;
    }

    /// <summary>Dot product of equal-length spans whose length is a multiple of 16 (fused multiply-add, one 512-bit accumulator per two vectors).</summary>
    private static float Dot512(ReadOnlySpan<float> x, ReadOnlySpan<float> h)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float h0 = ref MemoryMarshal.GetReference(h);
        var acc = Vector512<float>.Zero;
        for (int i = 0; i < h.Length; i += 16)
            acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)i), Vector512.LoadUnsafe(ref h0, (nuint)i), acc);
        return Vector512.Sum(acc);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
