using System.Runtime.CompilerServices;

namespace HarmoniousFeedback.Dsp;

/// <summary>
/// FFT of a real signal of even length N, returning the one-sided spectrum <c>X[k]</c>, <c>k = 0..N/2</c>
/// (same definition and sign as <c>numpy.fft.rfft</c> / <c>torch.fft.rfft</c>, unnormalised).
/// <para>Algorithm: the N reals are packed as N/2 complex values <c>z[n] = x[2n] + i·x[2n+1]</c>, transformed with a
/// <see cref="ComplexFft"/> of size N/2 (radix-2 or Bluestein), and split with
/// <c>X[k] = (Z[k] + Z*[N/2−k])/2 − (i/2)·e^{−2πik/N}·(Z[k] − Z*[N/2−k])</c>.</para>
/// <para>Not thread-safe (scratch buffers); create one instance per thread.</para>
/// </summary>
public sealed class RealFft
{
    /// <summary>Real transform length N (even).</summary>
    public int Size { get; }
    /// <summary>Number of one-sided bins, N/2 + 1.</summary>
    public int Bins => Size / 2 + 1;

    private readonly ComplexFft _half;
    private readonly float[] _zr, _zi, _cos, _sin;

    public RealFft(int size)
    {
        if (size < 2 || size % 2 != 0)
            throw new FeatureParameterException(nameof(RealFft), [$"size = {size} must be an even number >= 2"]);
        Size = size;
        int m = size / 2;
        _half = new ComplexFft(m);
        _zr = new float[m]; _zi = new float[m];
        _cos = new float[m + 1]; _sin = new float[m + 1];
        for (int k = 0; k <= m; k++)
        {
            double a = -2 * Math.PI * k / size;
            _cos[k] = (float)Math.Cos(a); _sin[k] = (float)Math.Sin(a);
        }
    }

    /// <summary>One-sided spectrum of <paramref name="input"/> (length N) into <paramref name="re"/>/<paramref name="im"/> (length N/2+1).</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> re, Span<float> im) => Forward(input, re, im, true);

    /// <summary>Scalar reference of <see cref="Forward(ReadOnlySpan{float}, Span{float}, Span{float})"/>.</summary>
    public void ForwardScalar(ReadOnlySpan<float> input, Span<float> re, Span<float> im) => Forward(input, re, im, false);

    private void Forward(ReadOnlySpan<float> input, Span<float> re, Span<float> im, bool simd)
    {
        int n = Size, m = n / 2;
        if (input.Length != n) throw new ShapeMismatchException($"real FFT of size {n} got {input.Length} samples");
        if (re.Length < m + 1 || im.Length < m + 1) throw new ShapeMismatchException($"real FFT of size {n} needs outputs of length {m + 1}, got {re.Length} and {im.Length}");
        var zr = _zr.AsSpan(); var zi = _zi.AsSpan();
        for (int i = 0; i < m; i++) { zr[i] = input[2 * i]; zi[i] = input[2 * i + 1]; }
        if (simd) _half.Forward(zr, zi); else _half.ForwardScalar(zr, zi);
        Split(zr, zi, re, im);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Split(ReadOnlySpan<float> zr, ReadOnlySpan<float> zi, Span<float> re, Span<float> im)
    {
        int m = Size / 2;
        for (int k = 0; k <= m; k++)
        {
            int a = k == m ? 0 : k, b = k == 0 ? 0 : m - k;
            float ar = zr[a], ai = zi[a], br = zr[b], bi = -zi[b]; // Z[k], conj(Z[m−k])
            float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);   // even part
            float dr = 0.5f * (ar - br), di = 0.5f * (ai - bi);   // (Z − Z*)/2
            // odd part: −i·(dr + i di) = di − i dr; times twiddle (c + i s)
            float c = _cos[k], s = _sin[k];
            float or_ = di * c + dr * s;
            float oi = di * s - dr * c;
            re[k] = er + or_; im[k] = ei + oi;
        }
    }

    /// <summary>
    /// Power spectrum <c>|X[k]|²</c>, <c>k = 0..N/2</c>, of <paramref name="input"/> (length N) into <paramref name="power"/>.
    /// </summary>
    public void Power(ReadOnlySpan<float> input, Span<float> power)
    {
        int n = Size, m = n / 2;
        if (input.Length != n) throw new ShapeMismatchException($"real FFT of size {n} got {input.Length} samples");
        if (power.Length < m + 1) throw new ShapeMismatchException($"power spectrum of a size-{n} FFT needs {m + 1} bins, got {power.Length}");
        var zr = _zr.AsSpan(); var zi = _zi.AsSpan();
        for (int i = 0; i < m; i++) { zr[i] = input[2 * i]; zi[i] = input[2 * i + 1]; }
        _half.Forward(zr, zi);
        for (int k = 0; k <= m; k++)
        {
            int a = k == m ? 0 : k, b = k == 0 ? 0 : m - k;
            float ar = zr[a], ai = zi[a], br = zr[b], bi = -zi[b];
            float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
            float dr = 0.5f * (ar - br), di = 0.5f * (ai - bi);
            float c = _cos[k], s = _sin[k];
            float xr = er + di * c + dr * s, xi = ei + di * s - dr * c;
            power[k] = xr * xr + xi * xi;
        }
    }

    /// <summary>
    /// Inverse of <see cref="Forward(ReadOnlySpan{float}, Span{float}, Span{float})"/>: from the one-sided spectrum
    /// (Hermitian symmetry assumed; the imaginary parts of bins 0 and N/2 are ignored) back to N real samples,
    /// including the 1/N scaling (<c>numpy.fft.irfft</c>).
    /// </summary>
    public void Inverse(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> output)
    {
        int n = Size, m = n / 2;
        if (re.Length < m + 1 || im.Length < m + 1 || output.Length != n)
            throw new ShapeMismatchException($"inverse real FFT of size {n} needs {m + 1} bins and {n} outputs");
        var zr = _zr.AsSpan(); var zi = _zi.AsSpan();
        for (int k = 0; k < m; k++)
        {
            float ar = re[k], ai = k == 0 ? 0 : im[k];
            float br = re[m - k], bi = (m - k == m || m - k == 0) ? 0 : -im[m - k]; // conj(X[m−k])
            float fer = 0.5f * (ar + br), fei = 0.5f * (ai + bi);
            float dr = 0.5f * (ar - br), di = 0.5f * (ai - bi);
            // Fo = (X − X*)/2 · e^{+2πik/N};  Z = Fe + i·Fo
            float c = _cos[k], s = -_sin[k];
            float fr = dr * c - di * s, fi = dr * s + di * c;
            zr[k] = fer - fi; zi[k] = fei + fr;
        }
        _half.Inverse(zr, zi);
        for (int i = 0; i < m; i++) { output[2 * i] = zr[i]; output[2 * i + 1] = zi[i]; }
    }
}
