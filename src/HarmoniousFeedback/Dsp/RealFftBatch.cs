using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HarmoniousFeedback.Dsp;

/// <summary>
/// Windowed power spectra <c>|X_l[k]|²</c>, <c>k = 0..N/2</c>, of <see cref="Lanes"/> = 8 real frames at once, one frame
/// per SIMD lane (<see cref="Vector256{T}"/>), so every butterfly of every stage is a full-width vector operation with no
/// shuffles — the short-time Fourier transform's frames are independent, and a 2048-point frame has too few
/// butterflies per stage for <see cref="ComplexFft"/>'s within-frame SIMD to pay in its first stages.
/// <para><b>Exactly <see cref="RealFft.Power"/>.</b> Each lane runs the same float operations in the same order as
/// <c>x ⊙ w</c> (elementwise product) followed by <see cref="RealFft.Power"/> on one frame: the real-to-complex packing,
/// the radix-2 decimation-in-time <see cref="ComplexFft"/> of size N/2 (its bit reversal, its special first two stages,
/// its float twiddles computed in double) and the same split formula, so the outputs are bit-identical (tests check
/// it); only signed zeros of intermediate values may differ, which a square removes.</para>
/// <para>Sizes: N a power of two ≥ 8 (<see cref="Supports"/>); other sizes use the per-frame path. Not thread-safe
/// (scratch buffers): one instance per thread.</para>
/// </summary>
public sealed class RealFftBatch
{
    /// <summary>Frames transformed per call (the lanes of a <see cref="Vector256{T}"/> of floats).</summary>
    public const int Lanes = 8;

    /// <summary>Real transform length N.</summary>
    public int Size { get; }

    /// <summary>One-sided bins per frame, N/2 + 1.</summary>
    public int Bins => Size / 2 + 1;

    private readonly int[] _bitrev;
    private readonly float[] _twRe, _twIm, _cos, _sin;
    private readonly Vector256<float>[] _zr, _zi;

    /// <summary>True when this machine runs <see cref="Vector256{T}"/> in hardware and N is a power of two ≥ 8.</summary>
    public static bool Supports(int size) => Vector256.IsHardwareAccelerated && size >= 8 && BitOperations.IsPow2(size);

    /// <exception cref="FeatureParameterException">N is not supported (<see cref="Supports"/>).</exception>
    public RealFftBatch(int size)
    {
        if (!Supports(size))
            throw new FeatureParameterException(nameof(RealFftBatch), [$"size = {size} must be a power of two >= 8 on a machine with 256-bit SIMD"]);
        Size = size;
        int m = size / 2, bits = BitOperations.Log2((uint)m);
        _bitrev = new int[m];
        for (int i = 0; i < m; i++) _bitrev[i] = (int)(ComplexFft.ReverseBits((uint)i) >> (32 - bits));
        // as ComplexFft(m): the stage with half-length h stores h twiddles at offset h − 1
        _twRe = new float[m - 1];
        _twIm = new float[m - 1];
        for (int h = 1; h < m; h <<= 1)
            for (int j = 0; j < h; j++)
            {
                double a = -Math.PI * j / h;
                _twRe[h - 1 + j] = (float)Math.Cos(a);
                _twIm[h - 1 + j] = (float)Math.Sin(a);
            }
        // as RealFft(size): the split twiddles
        _cos = new float[m + 1];
        _sin = new float[m + 1];
        for (int k = 0; k <= m; k++)
        {
            double a = -2 * Math.PI * k / size;
            _cos[k] = (float)Math.Cos(a); _sin[k] = (float)Math.Sin(a);
        }
        _zr = new Vector256<float>[m];
        _zi = new Vector256<float>[m];
    }

    /// <summary>
    /// Power spectra of the 8 frames <c>signal[offsets[l] .. offsets[l] + N)</c> times <paramref name="window"/> (length N):
    /// frame l's N/2 + 1 values go to <c>power[l·stride ..]</c>.
    /// </summary>
    /// <exception cref="ShapeMismatchException">Not 8 offsets, a frame outside the signal, a window of the wrong length, or an output too short.</exception>
    public void Power(ReadOnlySpan<float> signal, ReadOnlySpan<int> offsets, ReadOnlySpan<float> window, Span<float> power, int stride)
    {
        int n = Size, m = n / 2, bins = m + 1;
        if (offsets.Length != Lanes) throw new ShapeMismatchException($"a batch of real FFTs takes {Lanes} frame offsets, got {offsets.Length}");
        if (window.Length != n) throw new ShapeMismatchException($"window has {window.Length} samples, the FFT size is {n}");
        if (stride < bins || power.Length < (Lanes - 1) * stride + bins)
            throw new ShapeMismatchException($"power output of {power.Length} values with stride {stride} cannot hold {Lanes} spectra of {bins} bins");
        foreach (int o in offsets)
            if (o < 0 || o > signal.Length - n) throw new ShapeMismatchException($"frame at offset {o} of length {n} is outside a signal of {signal.Length} samples");
        ref float s = ref MemoryMarshal.GetReference(signal);
        int o0 = offsets[0], o1 = offsets[1], o2 = offsets[2], o3 = offsets[3], o4 = offsets[4], o5 = offsets[5], o6 = offsets[6], o7 = offsets[7];
        var zr = _zr.AsSpan(0, m);
        var zi = _zi.AsSpan(0, m);
        // Cache blocking: each block of B complex vectors (B·64 bytes, in L1) is loaded and taken through every stage
        // that stays inside it, then the remaining stages run over the whole array; stages are fused in pairs. Only the
        // order of independent butterflies changes, never the operations of one, so the result is the textbook
        // stage-by-stage transform's.
        int block = Math.Min(m, BlockVectors);
        for (int b0 = 0; b0 < m; b0 += block)
        {
            for (int a = b0; a < b0 + block; a += 4) LoadFirstStages(ref s, o0, o1, o2, o3, o4, o5, o6, o7, window, zr, zi, a);
            Stages(zr.Slice(b0, block), zi.Slice(b0, block), 4);
        }
        Stages(zr, zi, block);
        Split(zr, zi, power, stride);
    }

    /// <summary>Complex vectors per cache block (256 · 64 bytes = 16 KB).</summary>
    private const int BlockVectors = 256;

    /// <summary>
    /// Vectors a .. a+3 of the bit-reversed packed input z[t] = x[2t]·w[2t] + i·x[2t+1]·w[2t+1], through the first two
    /// stages (h = 1: twiddle 1; h = 2: twiddles 1 and −i) exactly as <see cref="ComplexFft"/> computes them.
    /// </summary>
    private void LoadFirstStages(ref float s, int o0, int o1, int o2, int o3, int o4, int o5, int o6, int o7, ReadOnlySpan<float> window,
        Span<Vector256<float>> re, Span<Vector256<float>> im, int a)
    {
        var (r0, i0) = Load(ref s, o0, o1, o2, o3, o4, o5, o6, o7, window, _bitrev[a]);
        var (r1, i1) = Load(ref s, o0, o1, o2, o3, o4, o5, o6, o7, window, _bitrev[a + 1]);
        var (r2, i2) = Load(ref s, o0, o1, o2, o3, o4, o5, o6, o7, window, _bitrev[a + 2]);
        var (r3, i3) = Load(ref s, o0, o1, o2, o3, o4, o5, o6, o7, window, _bitrev[a + 3]);
        // h = 1
        var p0r = r0 + r1; var p0i = i0 + i1; var p1r = r0 - r1; var p1i = i0 - i1;
        var p2r = r2 + r3; var p2i = i2 + i3; var p3r = r2 - r3; var p3i = i2 - i3;
        // h = 2
        re[a] = p0r + p2r; im[a] = p0i + p2i; re[a + 2] = p0r - p2r; im[a + 2] = p0i - p2i;
        var q3r = p3i; var q3i = -p3r;                                              // (p3r + i·p3i)·(−i)
        re[a + 1] = p1r + q3r; im[a + 1] = p1i + q3i; re[a + 3] = p1r - q3r; im[a + 3] = p1i - q3i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Re, Vector256<float> Im) Load(ref float s, int o0, int o1, int o2, int o3, int o4, int o5, int o6, int o7, ReadOnlySpan<float> window, int t)
    {
        int e = 2 * t, f = e + 1;
        var re = Vector256.Create(Unsafe.Add(ref s, o0 + e), Unsafe.Add(ref s, o1 + e), Unsafe.Add(ref s, o2 + e), Unsafe.Add(ref s, o3 + e),
            Unsafe.Add(ref s, o4 + e), Unsafe.Add(ref s, o5 + e), Unsafe.Add(ref s, o6 + e), Unsafe.Add(ref s, o7 + e)) * Vector256.Create(window[e]);
        var im = Vector256.Create(Unsafe.Add(ref s, o0 + f), Unsafe.Add(ref s, o1 + f), Unsafe.Add(ref s, o2 + f), Unsafe.Add(ref s, o3 + f),
            Unsafe.Add(ref s, o4 + f), Unsafe.Add(ref s, o5 + f), Unsafe.Add(ref s, o6 + f), Unsafe.Add(ref s, o7 + f)) * Vector256.Create(window[f]);
        return (re, im);
    }

    /// <summary>The general stages with half-length h = <paramref name="from"/>, 2·from, … below the span's length, two at a time where two fit.</summary>
    private void Stages(Span<Vector256<float>> re, Span<Vector256<float>> im, int from)
    {
        int n = re.Length, h = from;
        while (h < n)
        {
            if (2 * h < n) { TwoStages(re, im, h); h *= 4; }
            else { OneStage(re, im, h); h *= 2; }
        }
    }

    private void OneStage(Span<Vector256<float>> re, Span<Vector256<float>> im, int h)
    {
        int n = re.Length;
        var twr = _twRe.AsSpan(h - 1, h);
        var twi = _twIm.AsSpan(h - 1, h);
        for (int j = 0; j < h; j++)
        {
            var wr = Vector256.Create(twr[j]); var wi = Vector256.Create(twi[j]);
            for (int a = j; a < n; a += 2 * h) Butterfly(ref re[a], ref im[a], ref re[a + h], ref im[a + h], wr, wi);
        }
    }

    /// <summary>Stages h and 2h on each group a, a+h, a+2h, a+3h (closed under both), in registers.</summary>
    private void TwoStages(Span<Vector256<float>> re, Span<Vector256<float>> im, int h)
    {
        int n = re.Length;
        for (int j = 0; j < h; j++)
        {
            var w1r = Vector256.Create(_twRe[h - 1 + j]); var w1i = Vector256.Create(_twIm[h - 1 + j]);
            var w2r = Vector256.Create(_twRe[2 * h - 1 + j]); var w2i = Vector256.Create(_twIm[2 * h - 1 + j]);
            var w3r = Vector256.Create(_twRe[2 * h - 1 + j + h]); var w3i = Vector256.Create(_twIm[2 * h - 1 + j + h]);
            for (int a = j; a < n; a += 4 * h)
            {
                var r0 = re[a]; var i0 = im[a]; var r1 = re[a + h]; var i1 = im[a + h];
                var r2 = re[a + 2 * h]; var i2 = im[a + 2 * h]; var r3 = re[a + 3 * h]; var i3 = im[a + 3 * h];
                Butterfly(ref r0, ref i0, ref r1, ref i1, w1r, w1i);
                Butterfly(ref r2, ref i2, ref r3, ref i3, w1r, w1i);
                Butterfly(ref r0, ref i0, ref r2, ref i2, w2r, w2i);
                Butterfly(ref r1, ref i1, ref r3, ref i3, w3r, w3i);
                re[a] = r0; im[a] = i0; re[a + h] = r1; im[a + h] = i1;
                re[a + 2 * h] = r2; im[a + 2 * h] = i2; re[a + 3 * h] = r3; im[a + 3 * h] = i3;
            }
        }
    }

    /// <summary>(u, x) ↦ (u + w·x, u − w·x), with w·x = (wr·xr − wi·xi) + i(wr·xi + wi·xr) as <see cref="ComplexFft"/> computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(ref Vector256<float> ur, ref Vector256<float> ui, ref Vector256<float> xr, ref Vector256<float> xi, Vector256<float> wr, Vector256<float> wi)
    {
        var tr = wr * xr - wi * xi;
        var ti = wr * xi + wi * xr;
        var r = ur; var i = ui;
        xr = r - tr; xi = i - ti;
        ur = r + tr; ui = i + ti;
    }

    private void Split(ReadOnlySpan<Vector256<float>> zr, ReadOnlySpan<Vector256<float>> zi, Span<float> power, int stride)
    {
        int m = Size / 2;
        var half = Vector256.Create(0.5f);
        Span<float> lanes = stackalloc float[Lanes];
        for (int k = 0; k <= m; k++)
        {
            int a = k == m ? 0 : k, b = k == 0 ? 0 : m - k;
            var ar = zr[a]; var ai = zi[a]; var br = zr[b]; var bi = -zi[b];
            var er = half * (ar + br); var ei = half * (ai + bi);
            var dr = half * (ar - br); var di = half * (ai - bi);
            var c = Vector256.Create(_cos[k]); var sn = Vector256.Create(_sin[k]);
            var xr = er + di * c + dr * sn; var xi = ei + di * sn - dr * c;
            (xr * xr + xi * xi).CopyTo(lanes);
            for (int l = 0; l < Lanes; l++) power[l * stride + k] = lanes[l];
        }
    }
}
