using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HarmoniousFeedback.Dsp;

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
