using System.Numerics;

namespace HarmoniousFeedback.Dsp;

/// <summary>Linear prediction by the autocorrelation method, and polynomial roots (for formants).</summary>
public static class Lpc
{
    /// <summary>Biased autocorrelation <c>r[k] = Σ_n x[n]·x[n+k]</c>, k = 0..order, in double.</summary>
    public static void Autocorrelation(ReadOnlySpan<double> x, Span<double> r)
    {
        for (int k = 0; k < r.Length; k++)
        {
            double s = 0;
            for (int n = 0; n + k < x.Length; n++) s += x[n] * x[n + k];
            r[k] = s;
        }
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
    /// Roots of <c>c[0]·z^n + c[1]·z^{n−1} + … + c[n]</c> (c[0] ≠ 0) by the Durand–Kerner (Weierstrass) iteration in
    /// complex double, started on a circle of radius 0.9 at angles offset from the real axis, followed by Newton polishing.
    /// </summary>
    public static Complex[] Roots(ReadOnlySpan<double> c, int maxIterations = 500, double tolerance = 1e-12)
    {
        int n = c.Length - 1;
        if (n < 1) return [];
        if (c[0] == 0) throw new ArgumentException("leading coefficient must be non-zero", nameof(c));
        var mon = new double[n + 1];
        for (int i = 0; i <= n; i++) mon[i] = c[i] / c[0];
        var z = new Complex[n];
        for (int i = 0; i < n; i++) z[i] = Complex.FromPolarCoordinates(0.9, 2 * Math.PI * (i + 0.25) / n + 0.4);
        for (int it = 0; it < maxIterations; it++)
        {
            double maxStep = 0;
            for (int i = 0; i < n; i++)
            {
                Complex num = Eval(mon, z[i]);
                Complex den = Complex.One;
                for (int j = 0; j < n; j++) if (j != i) den *= z[i] - z[j];
                if (den == Complex.Zero) den = new Complex(1e-12, 0);
                var step = num / den;
                z[i] -= step;
                maxStep = Math.Max(maxStep, step.Magnitude);
            }
            if (maxStep < tolerance) break;
        }
        for (int i = 0; i < n; i++) // Newton polish
            for (int k = 0; k < 3; k++)
            {
                Complex f = Eval(mon, z[i]), d = EvalDerivative(mon, z[i]);
                if (d == Complex.Zero) break;
                z[i] -= f / d;
            }
        return z;
    }

    private static Complex Eval(double[] c, Complex z)
    {
        Complex s = c[0];
        for (int i = 1; i < c.Length; i++) s = s * z + c[i];
        return s;
    }

    private static Complex EvalDerivative(double[] c, Complex z)
    {
        int n = c.Length - 1;
        Complex s = n * c[0];
        for (int i = 1; i < n; i++) s = s * z + (n - i) * c[i];
        return s;
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
    }

    /// <summary>Number of output samples for <paramref name="inputLength"/> inputs: <c>ceil(N·L/M)</c>.</summary>
    public int OutputLength(int inputLength) => (int)(((long)inputLength * Up + Down - 1) / Down);

    public float[] Process(ReadOnlySpan<float> x)
    {
        if (Up == Down) return x.ToArray();
        int n = OutputLength(x.Length);
        var y = new float[n];
        for (int o = 0; o < n; o++)
        {
            long t0 = (long)o * Down; // position in up-sampled domain
            long jLo = Math.Max(0, (t0 - _half + Up - 1) / Up);
            if (t0 - _half < 0) jLo = 0;
            long jHi = Math.Min(x.Length - 1, (t0 + _half) / Up);
            double s = 0;
            for (long j = jLo; j <= jHi; j++)
            {
                long t = t0 - j * Up;
                if (t < -_half || t > _half) continue;
                s += x[(int)j] * _h[t + _half];
            }
            y[o] = (float)s;
        }
        return y;
    }
}
