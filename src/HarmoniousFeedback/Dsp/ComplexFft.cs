using System.Numerics;
using System.Runtime.InteropServices;

namespace HarmoniousFeedback.Dsp;

/// <summary>
/// In-place complex FFT on split real/imaginary arrays, any size ≥ 1.
/// <para>Forward transform: <c>X[k] = Σ_{n=0}^{N−1} x[n]·exp(−2πi·k·n/N)</c> (unnormalised, numpy/torch sign convention);
/// inverse: <c>x[n] = (1/N) Σ_k X[k]·exp(+2πi·k·n/N)</c>.</para>
/// <para>Power-of-two sizes use an iterative radix-2 decimation-in-time transform with per-stage precomputed twiddles
/// (SIMD over butterflies via <see cref="Vector{T}"/> once a stage has at least one vector of butterflies); other sizes
/// use Bluestein's chirp-z algorithm on a power-of-two transform of size ≥ 2N−1, with chirp angles reduced modulo 2N
/// for accuracy. Twiddles are computed in double and stored as float.</para>
/// <para>An instance holds scratch buffers: it is <b>not</b> thread-safe; create one per thread (creation is cheap).</para>
/// </summary>
public sealed class ComplexFft
{
    /// <summary>Transform length N.</summary>
    public int Size { get; }
    /// <summary>True when N is a power of two (radix-2 path); false for the Bluestein path.</summary>
    public bool IsPowerOfTwo { get; }

    private readonly int[] _bitrev = [];
    private readonly float[] _twRe = [], _twIm = []; // stage with half-length h stores h twiddles at offset h−1
    // Bluestein
    private readonly ComplexFft? _conv;
    private readonly float[] _chirpRe = [], _chirpIm = [], _kernRe = [], _kernIm = [], _wRe = [], _wIm = [];

    public ComplexFft(int size)
    {
        if (size < 1) throw new FeatureParameterException(nameof(ComplexFft), [$"size = {size} must be >= 1"]);
        Size = size;
        IsPowerOfTwo = BitOperations.IsPow2(size);
        if (IsPowerOfTwo)
        {
            int bits = BitOperations.Log2((uint)size);
            _bitrev = new int[size];
            for (int i = 0; i < size; i++) _bitrev[i] = bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));
            _twRe = new float[Math.Max(1, size - 1)];
            _twIm = new float[Math.Max(1, size - 1)];
            for (int h = 1; h < size; h <<= 1)
                for (int j = 0; j < h; j++)
                {
                    double a = -Math.PI * j / h;
                    _twRe[h - 1 + j] = (float)Math.Cos(a);
                    _twIm[h - 1 + j] = (float)Math.Sin(a);
                }
        }
        else
        {
            int m = (int)BitOperations.RoundUpToPowerOf2((uint)(2 * size - 1));
            _conv = new ComplexFft(m);
            _chirpRe = new float[size]; _chirpIm = new float[size];
            long twoN = 2L * size;
            for (int k = 0; k < size; k++)
            {
                double a = -Math.PI * (((long)k * k) % twoN) / size; // w_k = exp(−iπk²/N)
                _chirpRe[k] = (float)Math.Cos(a); _chirpIm[k] = (float)Math.Sin(a);
            }
            _kernRe = new float[m]; _kernIm = new float[m];
            for (int k = 0; k < size; k++)
            {
                // b_k = conj(w_k), placed at k and m−k (circular negative indices)
                _kernRe[k] = _chirpRe[k]; _kernIm[k] = -_chirpIm[k];
                if (k > 0) { _kernRe[m - k] = _chirpRe[k]; _kernIm[m - k] = -_chirpIm[k]; }
            }
            _conv.Forward(_kernRe, _kernIm);
            _wRe = new float[m]; _wIm = new float[m];
        }
    }

    /// <summary>The 32 bits of <paramref name="v"/> in reverse order (for bit-reversal permutations).</summary>
    internal static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }

    /// <summary>Forward transform in place. Both spans must have length <see cref="Size"/>.</summary>
    public void Forward(Span<float> re, Span<float> im) => Run(re, im, simd: true);

    /// <summary>Scalar reference of <see cref="Forward"/> (same algorithm, no SIMD); used by tests to check the fast path.</summary>
    public void ForwardScalar(Span<float> re, Span<float> im) => Run(re, im, simd: false);

    /// <summary>Inverse transform in place, including the 1/N scaling.</summary>
    public void Inverse(Span<float> re, Span<float> im)
    {
        // IDFT(x) = conj(DFT(conj(x)))/N, done by swapping the real and imaginary parts.
        Forward(im, re);
        float s = 1f / Size;
        System.Numerics.Tensors.TensorPrimitives.Multiply(re, s, re);
        System.Numerics.Tensors.TensorPrimitives.Multiply(im, s, im);
    }

    private void Run(Span<float> re, Span<float> im, bool simd)
    {
        if (re.Length != Size || im.Length != Size)
            throw new ShapeMismatchException($"FFT of size {Size} got spans of length {re.Length} and {im.Length}");
        if (IsPowerOfTwo) Radix2(re, im, simd);
        else Bluestein(re, im, simd);
    }

    private void Radix2(Span<float> re, Span<float> im, bool simd)
    {
        int n = Size;
        for (int i = 0; i < n; i++)
        {
            int j = _bitrev[i];
            if (j > i) { (re[i], re[j]) = (re[j], re[i]); (im[i], im[j]) = (im[j], im[i]); }
        }
        // h = 1: twiddle 1
        for (int a = 0; a + 1 < n; a += 2)
        {
            float r0 = re[a], i0 = im[a], r1 = re[a + 1], i1 = im[a + 1];
            re[a] = r0 + r1; im[a] = i0 + i1; re[a + 1] = r0 - r1; im[a + 1] = i0 - i1;
        }
        // h = 2: twiddles 1, −i
        if (n >= 4)
            for (int a = 0; a < n; a += 4)
            {
                float r0 = re[a], i0 = im[a], r2 = re[a + 2], i2 = im[a + 2];
                re[a] = r0 + r2; im[a] = i0 + i2; re[a + 2] = r0 - r2; im[a + 2] = i0 - i2;
                float r1 = re[a + 1], i1 = im[a + 1], r3 = im[a + 3], i3 = -re[a + 3]; // (r3 + i i3)·(−i)
                re[a + 1] = r1 + r3; im[a + 1] = i1 + i3; re[a + 3] = r1 - r3; im[a + 3] = i1 - i3;
            }
        int vc = Vector<float>.Count;
        for (int h = 4; h < n; h <<= 1)
        {
            var twr = _twRe.AsSpan(h - 1, h);
            var twi = _twIm.AsSpan(h - 1, h);
            if (simd && Vector.IsHardwareAccelerated && h >= vc)
            {
                var vtr = MemoryMarshal.Cast<float, Vector<float>>(twr);
                var vti = MemoryMarshal.Cast<float, Vector<float>>(twi);
                for (int start = 0; start < n; start += 2 * h)
                {
                    var ar = MemoryMarshal.Cast<float, Vector<float>>(re.Slice(start, h));
                    var ai = MemoryMarshal.Cast<float, Vector<float>>(im.Slice(start, h));
                    var br = MemoryMarshal.Cast<float, Vector<float>>(re.Slice(start + h, h));
                    var bi = MemoryMarshal.Cast<float, Vector<float>>(im.Slice(start + h, h));
                    for (int v = 0; v < ar.Length; v++)
                    {
                        var wr = vtr[v]; var wi = vti[v];
                        var xr = br[v]; var xi = bi[v];
                        var tr = wr * xr - wi * xi;
                        var ti = wr * xi + wi * xr;
                        var ur = ar[v]; var ui = ai[v];
                        br[v] = ur - tr; bi[v] = ui - ti;
                        ar[v] = ur + tr; ai[v] = ui + ti;
                    }
                }
            }
            else
            {
                for (int start = 0; start < n; start += 2 * h)
                    for (int j = 0; j < h; j++)
                    {
                        int a = start + j, b = a + h;
                        float wr = twr[j], wi = twi[j];
                        float tr = wr * re[b] - wi * im[b];
                        float ti = wr * im[b] + wi * re[b];
                        re[b] = re[a] - tr; im[b] = im[a] - ti;
                        re[a] += tr; im[a] += ti;
                    }
            }
        }
    }

    private void Bluestein(Span<float> re, Span<float> im, bool simd)
    {
        int n = Size, m = _conv!.Size;
        var wr = _wRe.AsSpan(); var wi = _wIm.AsSpan();
        wr.Clear(); wi.Clear();
        for (int k = 0; k < n; k++) // a_k = x_k·w_k
        {
            float cr = _chirpRe[k], ci = _chirpIm[k];
            wr[k] = re[k] * cr - im[k] * ci;
            wi[k] = re[k] * ci + im[k] * cr;
        }
        if (simd) _conv.Forward(wr, wi); else _conv.ForwardScalar(wr, wi);
        for (int k = 0; k < m; k++)
        {
            float ar = wr[k], ai = wi[k], br = _kernRe[k], bi = _kernIm[k];
            wr[k] = ar * br - ai * bi;
            wi[k] = ar * bi + ai * br;
        }
        // inverse via swap; scaling folded into the final multiply
        if (simd) _conv.Forward(wi, wr); else _conv.ForwardScalar(wi, wr);
        float s = 1f / m;
        for (int k = 0; k < n; k++)
        {
            float cr = _chirpRe[k], ci = _chirpIm[k];
            float xr = wr[k] * s, xi = wi[k] * s;
            re[k] = xr * cr - xi * ci;
            im[k] = xr * ci + xi * cr;
        }
    }
}
