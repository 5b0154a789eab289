using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
/// <para><b>Data movement.</b> With AVX and N ≥ 16 the 8 frames are brought into lane layout by contiguous loads and an
/// 8×8 register transpose per 8 samples (<see cref="Transpose8x8"/>) instead of one scalar load per lane, and the power
/// spectra leave it the same way (8 bins of 8 frames per transpose, stored as contiguous runs); moves only, so the
/// values are unchanged. <see cref="PowerLanes"/> returns the spectra in lane layout for a caller that reduces 8 frames
/// at once (<c>Features.Chroma</c>). Measured (<c>hfb-bench onnx --profile</c>, 301 frames at hop 160, one thread, load
/// 1.4–47): n_fft 2048 from ≈ 2.0 to 0.7–1.0 CPU ms (7–8 → 15–22 GFLOP/s at 5·M·log₂M, M = N/2).</para>
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
    private readonly Vector256<float>[]? _x;   // the windowed frames in lane layout (AVX, N ≥ 16); null: gather per vector

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
        if (Avx.IsSupported && size >= 16) _x = new Vector256<float>[size];
    }

    /// <summary>
    /// Power spectra of the 8 frames <c>signal[offsets[l] .. offsets[l] + N)</c> times <paramref name="window"/> (length N):
    /// frame l's N/2 + 1 values go to <c>power[l·stride ..]</c>.
    /// </summary>
    /// <exception cref="ShapeMismatchException">Not 8 offsets, a frame outside the signal, a window of the wrong length, or an output too short.</exception>
    public void Power(ReadOnlySpan<float> signal, ReadOnlySpan<int> offsets, ReadOnlySpan<float> window, Span<float> power, int stride)
    {
        int bins = Bins;
        if (stride < bins || power.Length < (Lanes - 1) * stride + bins)
            throw new ShapeMismatchException($"power output of {power.Length} values with stride {stride} cannot hold {Lanes} spectra of {bins} bins");
        Transform(signal, offsets, window);
        var zr = _zr.AsSpan(0, Size / 2);
        var zi = _zi.AsSpan(0, Size / 2);
        if (_x is not null) SplitTransposed(zr, zi, power, stride);
        else Split(zr, zi, power, stride);
    }

    /// <summary>
    /// <see cref="Power(ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, Span{float}, int)"/> in lane layout:
    /// <c>power[k]</c> holds bin k of the 8 frames (lane l = frame l), k = 0 .. N/2 — the same values, for a caller that
    /// reduces the bins of 8 frames at once (<c>Features.Chroma</c>'s filterbank) and would otherwise transpose them back.
    /// </summary>
    /// <exception cref="ShapeMismatchException">Not 8 offsets, a frame outside the signal, a window of the wrong length, or fewer than N/2 + 1 outputs.</exception>
    public void PowerLanes(ReadOnlySpan<float> signal, ReadOnlySpan<int> offsets, ReadOnlySpan<float> window, Span<Vector256<float>> power)
    {
        int m = Size / 2;
        if (power.Length < m + 1) throw new ShapeMismatchException($"lane-layout power output of {power.Length} vectors cannot hold {m + 1} bins");
        Transform(signal, offsets, window);
        ref Vector256<float> r = ref MemoryMarshal.GetArrayDataReference(_zr);
        ref Vector256<float> i = ref MemoryMarshal.GetArrayDataReference(_zi);
        ref float cs = ref MemoryMarshal.GetArrayDataReference(_cos);
        ref float sn = ref MemoryMarshal.GetArrayDataReference(_sin);
        for (int k = 0; k <= m; k++) power[k] = Bin(ref r, ref i, ref cs, ref sn, m, k);
    }

    /// <summary>The half-size complex FFT Z of the 8 windowed, packed frames (in the scratch arrays), before the real split.</summary>
    private void Transform(ReadOnlySpan<float> signal, ReadOnlySpan<int> offsets, ReadOnlySpan<float> window)
    {
        int n = Size, m = n / 2;
        if (offsets.Length != Lanes) throw new ShapeMismatchException($"a batch of real FFTs takes {Lanes} frame offsets, got {offsets.Length}");
        if (window.Length != n) throw new ShapeMismatchException($"window has {window.Length} samples, the FFT size is {n}");
        foreach (int o in offsets)
            if (o < 0 || o > signal.Length - n) throw new ShapeMismatchException($"frame at offset {o} of length {n} is outside a signal of {signal.Length} samples");
        ref float s = ref MemoryMarshal.GetReference(signal);
        var zr = _zr.AsSpan(0, m);
        var zi = _zi.AsSpan(0, m);
        // Cache blocking: each block of B complex vectors (B·64 bytes, in L1) is loaded and taken through every stage
        // that stays inside it, then the remaining stages run over the whole array; stages are fused in pairs. Only the
        // order of independent butterflies changes, never the operations of one, so the result is the textbook
        // stage-by-stage transform's.
        int block = Math.Min(m, BlockVectors);
        if (_x is not null)
        {
            // the windowed samples in lane layout first (8 contiguous loads and an 8×8 transpose per 8 samples, instead
            // of 64 scalar loads): x[t] holds sample t of every frame, times w[t] — the same product as frame by frame
            TransposeWindowed(ref s, offsets, window, _x);
            for (int b0 = 0; b0 < m; b0 += block)
            {
                for (int a = b0; a < b0 + block; a += 4) FirstStagesFromLanes(_x, zr, zi, a);
                Stages(zr.Slice(b0, block), zi.Slice(b0, block), 4);
            }
        }
        else
        {
            int o0 = offsets[0], o1 = offsets[1], o2 = offsets[2], o3 = offsets[3], o4 = offsets[4], o5 = offsets[5], o6 = offsets[6], o7 = offsets[7];
            for (int b0 = 0; b0 < m; b0 += block)
            {
                for (int a = b0; a < b0 + block; a += 4) LoadFirstStages(ref s, o0, o1, o2, o3, o4, o5, o6, o7, window, zr, zi, a);
                Stages(zr.Slice(b0, block), zi.Slice(b0, block), 4);
            }
        }
        Stages(zr, zi, block);
    }

    /// <summary>
    /// x[t] = (frame 0's sample t, …, frame 7's sample t) · w[t] for t = 0 .. N−1: each run of 8 samples is loaded from
    /// the 8 frames as 8 vectors and transposed in registers (<see cref="Transpose8x8"/>).
    /// </summary>
    private static void TransposeWindowed(ref float s, ReadOnlySpan<int> offsets, ReadOnlySpan<float> window, Vector256<float>[] x)
    {
        int n = x.Length;
        ref float w = ref MemoryMarshal.GetReference(window);
        ref Vector256<float> dst = ref MemoryMarshal.GetArrayDataReference(x);
        ref float f0 = ref Unsafe.Add(ref s, offsets[0]), f1 = ref Unsafe.Add(ref s, offsets[1]), f2 = ref Unsafe.Add(ref s, offsets[2]), f3 = ref Unsafe.Add(ref s, offsets[3]);
        ref float f4 = ref Unsafe.Add(ref s, offsets[4]), f5 = ref Unsafe.Add(ref s, offsets[5]), f6 = ref Unsafe.Add(ref s, offsets[6]), f7 = ref Unsafe.Add(ref s, offsets[7]);
        for (int t = 0; t < n; t += 8)
        {
            var v0 = Vector256.LoadUnsafe(ref f0, (nuint)t); var v1 = Vector256.LoadUnsafe(ref f1, (nuint)t);
            var v2 = Vector256.LoadUnsafe(ref f2, (nuint)t); var v3 = Vector256.LoadUnsafe(ref f3, (nuint)t);
            var v4 = Vector256.LoadUnsafe(ref f4, (nuint)t); var v5 = Vector256.LoadUnsafe(ref f5, (nuint)t);
            var v6 = Vector256.LoadUnsafe(ref f6, (nuint)t); var v7 = Vector256.LoadUnsafe(ref f7, (nuint)t);
            Transpose8x8(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
            ref Vector256<float> d = ref Unsafe.Add(ref dst, t);
            d = v0 * Vector256.Create(Unsafe.Add(ref w, t));
            Unsafe.Add(ref d, 1) = v1 * Vector256.Create(Unsafe.Add(ref w, t + 1));
            Unsafe.Add(ref d, 2) = v2 * Vector256.Create(Unsafe.Add(ref w, t + 2));
            Unsafe.Add(ref d, 3) = v3 * Vector256.Create(Unsafe.Add(ref w, t + 3));
            Unsafe.Add(ref d, 4) = v4 * Vector256.Create(Unsafe.Add(ref w, t + 4));
            Unsafe.Add(ref d, 5) = v5 * Vector256.Create(Unsafe.Add(ref w, t + 5));
            Unsafe.Add(ref d, 6) = v6 * Vector256.Create(Unsafe.Add(ref w, t + 6));
            Unsafe.Add(ref d, 7) = v7 * Vector256.Create(Unsafe.Add(ref w, t + 7));
        }
    }

    /// <summary>In place: row r of the 8×8 matrix whose rows are v0 … v7 becomes its column r (AVX unpack/shuffle/permute; moves only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(ref Vector256<float> v0, ref Vector256<float> v1, ref Vector256<float> v2, ref Vector256<float> v3,
        ref Vector256<float> v4, ref Vector256<float> v5, ref Vector256<float> v6, ref Vector256<float> v7)
    {
        var t0 = Avx.UnpackLow(v0, v1); var t1 = Avx.UnpackHigh(v0, v1);
        var t2 = Avx.UnpackLow(v2, v3); var t3 = Avx.UnpackHigh(v2, v3);
        var t4 = Avx.UnpackLow(v4, v5); var t5 = Avx.UnpackHigh(v4, v5);
        var t6 = Avx.UnpackLow(v6, v7); var t7 = Avx.UnpackHigh(v6, v7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        v0 = Avx.Permute2x128(u0, u4, 0x20); v1 = Avx.Permute2x128(u1, u5, 0x20);
        v2 = Avx.Permute2x128(u2, u6, 0x20); v3 = Avx.Permute2x128(u3, u7, 0x20);
        v4 = Avx.Permute2x128(u0, u4, 0x31); v5 = Avx.Permute2x128(u1, u5, 0x31);
        v6 = Avx.Permute2x128(u2, u6, 0x31); v7 = Avx.Permute2x128(u3, u7, 0x31);
    }

    /// <summary><see cref="LoadFirstStages"/> with the windowed samples already in lane layout (<see cref="TransposeWindowed"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FirstStagesFromLanes(Vector256<float>[] x, Span<Vector256<float>> re, Span<Vector256<float>> im, int a)
    {
        ref Vector256<float> xs = ref MemoryMarshal.GetArrayDataReference(x);
        ref int br = ref MemoryMarshal.GetArrayDataReference(_bitrev);
        int e0 = 2 * Unsafe.Add(ref br, a), e1 = 2 * Unsafe.Add(ref br, a + 1), e2 = 2 * Unsafe.Add(ref br, a + 2), e3 = 2 * Unsafe.Add(ref br, a + 3);
        var r0 = Unsafe.Add(ref xs, e0); var i0 = Unsafe.Add(ref xs, e0 + 1);
        var r1 = Unsafe.Add(ref xs, e1); var i1 = Unsafe.Add(ref xs, e1 + 1);
        var r2 = Unsafe.Add(ref xs, e2); var i2 = Unsafe.Add(ref xs, e2 + 1);
        var r3 = Unsafe.Add(ref xs, e3); var i3 = Unsafe.Add(ref xs, e3 + 1);
        // h = 1
        var p0r = r0 + r1; var p0i = i0 + i1; var p1r = r0 - r1; var p1i = i0 - i1;
        var p2r = r2 + r3; var p2i = i2 + i3; var p3r = r2 - r3; var p3i = i2 - i3;
        // h = 2
        ref Vector256<float> zr = ref Unsafe.Add(ref MemoryMarshal.GetReference(re), a);
        ref Vector256<float> zi = ref Unsafe.Add(ref MemoryMarshal.GetReference(im), a);
        zr = p0r + p2r; zi = p0i + p2i; Unsafe.Add(ref zr, 2) = p0r - p2r; Unsafe.Add(ref zi, 2) = p0i - p2i;
        var q3r = p3i; var q3i = -p3r;                                              // (p3r + i·p3i)·(−i)
        Unsafe.Add(ref zr, 1) = p1r + q3r; Unsafe.Add(ref zi, 1) = p1i + q3i; Unsafe.Add(ref zr, 3) = p1r - q3r; Unsafe.Add(ref zi, 3) = p1i - q3i;
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
        ref Vector256<float> r = ref MemoryMarshal.GetReference(re);
        ref Vector256<float> i = ref MemoryMarshal.GetReference(im);
        ref float twr = ref _twRe[h - 1];
        ref float twi = ref _twIm[h - 1];
        for (int j = 0; j < h; j++)
        {
            var wr = Vector256.Create(Unsafe.Add(ref twr, j)); var wi = Vector256.Create(Unsafe.Add(ref twi, j));
            for (int a = j; a < n; a += 2 * h)
                Butterfly(ref Unsafe.Add(ref r, a), ref Unsafe.Add(ref i, a), ref Unsafe.Add(ref r, a + h), ref Unsafe.Add(ref i, a + h), wr, wi);
        }
    }

    /// <summary>Stages h and 2h on each group a, a+h, a+2h, a+3h (closed under both), in registers.</summary>
    private void TwoStages(Span<Vector256<float>> re, Span<Vector256<float>> im, int h)
    {
        int n = re.Length;
        ref Vector256<float> rb = ref MemoryMarshal.GetReference(re);
        ref Vector256<float> ib = ref MemoryMarshal.GetReference(im);
        for (int j = 0; j < h; j++)
        {
            var w1r = Vector256.Create(_twRe[h - 1 + j]); var w1i = Vector256.Create(_twIm[h - 1 + j]);
            var w2r = Vector256.Create(_twRe[2 * h - 1 + j]); var w2i = Vector256.Create(_twIm[2 * h - 1 + j]);
            var w3r = Vector256.Create(_twRe[2 * h - 1 + j + h]); var w3i = Vector256.Create(_twIm[2 * h - 1 + j + h]);
            for (int a = j; a < n; a += 4 * h)
            {
                ref Vector256<float> pr = ref Unsafe.Add(ref rb, a);
                ref Vector256<float> pi = ref Unsafe.Add(ref ib, a);
                var r0 = pr; var i0 = pi; var r1 = Unsafe.Add(ref pr, h); var i1 = Unsafe.Add(ref pi, h);
                var r2 = Unsafe.Add(ref pr, 2 * h); var i2 = Unsafe.Add(ref pi, 2 * h); var r3 = Unsafe.Add(ref pr, 3 * h); var i3 = Unsafe.Add(ref pi, 3 * h);
                Butterfly(ref r0, ref i0, ref r1, ref i1, w1r, w1i);
                Butterfly(ref r2, ref i2, ref r3, ref i3, w1r, w1i);
                Butterfly(ref r0, ref i0, ref r2, ref i2, w2r, w2i);
                Butterfly(ref r1, ref i1, ref r3, ref i3, w3r, w3i);
                pr = r0; pi = i0; Unsafe.Add(ref pr, h) = r1; Unsafe.Add(ref pi, h) = i1;
                Unsafe.Add(ref pr, 2 * h) = r2; Unsafe.Add(ref pi, 2 * h) = i2; Unsafe.Add(ref pr, 3 * h) = r3; Unsafe.Add(ref pi, 3 * h) = i3;
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

    /// <summary>
    /// <see cref="Split"/> 8 bins at a time: the 8 power vectors (one lane per frame) are transposed in registers
    /// (<see cref="Transpose8x8"/>) and stored as 8 contiguous runs, one per frame, instead of 64 scalar stores. The
    /// arithmetic per bin and lane is <see cref="Split"/>'s.
    /// </summary>
    private void SplitTransposed(ReadOnlySpan<Vector256<float>> zr, ReadOnlySpan<Vector256<float>> zi, Span<float> power, int stride)
    {
        int m = Size / 2;
        ref Vector256<float> r = ref MemoryMarshal.GetReference(zr);
        ref Vector256<float> i = ref MemoryMarshal.GetReference(zi);
        ref float cs = ref MemoryMarshal.GetArrayDataReference(_cos);
        ref float sn = ref MemoryMarshal.GetArrayDataReference(_sin);
        ref float p = ref MemoryMarshal.GetReference(power);
        for (int k0 = 0; k0 < m; k0 += 8)
        {
            var v0 = Bin(ref r, ref i, ref cs, ref sn, m, k0); var v1 = Bin(ref r, ref i, ref cs, ref sn, m, k0 + 1);
            var v2 = Bin(ref r, ref i, ref cs, ref sn, m, k0 + 2); var v3 = Bin(ref r, ref i, ref cs, ref sn, m, k0 + 3);
            var v4 = Bin(ref r, ref i, ref cs, ref sn, m, k0 + 4); var v5 = Bin(ref r, ref i, ref cs, ref sn, m, k0 + 5);
            var v6 = Bin(ref r, ref i, ref cs, ref sn, m, k0 + 6); var v7 = Bin(ref r, ref i, ref cs, ref sn, m, k0 + 7);
            Transpose8x8(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
            v0.StoreUnsafe(ref p, (nuint)k0); v1.StoreUnsafe(ref p, (nuint)(stride + k0));
            v2.StoreUnsafe(ref p, (nuint)(2 * stride + k0)); v3.StoreUnsafe(ref p, (nuint)(3 * stride + k0));
            v4.StoreUnsafe(ref p, (nuint)(4 * stride + k0)); v5.StoreUnsafe(ref p, (nuint)(5 * stride + k0));
            v6.StoreUnsafe(ref p, (nuint)(6 * stride + k0)); v7.StoreUnsafe(ref p, (nuint)(7 * stride + k0));
        }
        var last = Bin(ref r, ref i, ref cs, ref sn, m, m);
        for (int l = 0; l < Lanes; l++) power[l * stride + m] = last.GetElement(l);
    }

    /// <summary>|X[k]|² of every lane, as <see cref="Split"/> computes it for bin k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Bin(ref Vector256<float> zr, ref Vector256<float> zi, ref float cos, ref float sin, int m, int k)
    {
        int a = k == m ? 0 : k, b = k == 0 ? 0 : m - k;
        var half = Vector256.Create(0.5f);
        var ar = Unsafe.Add(ref zr, a); var ai = Unsafe.Add(ref zi, a); var br = Unsafe.Add(ref zr, b); var bi = -Unsafe.Add(ref zi, b);
        var er = half * (ar + br); var ei = half * (ai + bi);
        var dr = half * (ar - br); var di = half * (ai - bi);
        var c = Vector256.Create(Unsafe.Add(ref cos, k)); var sn = Vector256.Create(Unsafe.Add(ref sin, k));
        var xr = er + di * c + dr * sn; var xi = ei + di * sn - dr * c;
        return xr * xr + xi * xi;
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
