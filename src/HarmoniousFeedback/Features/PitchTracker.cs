using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// F0 tracker after YIN (de Cheveigné &amp; Kawahara 2002). Per frame (samples <c>b[0..FrameLength−1]</c> centred on the frame
/// time, integration window W = FrameLength − τ_max):
/// difference <c>d(τ) = Σ_{j&lt;W}(b[j] − b[j+τ])² = e_0 + e_τ − 2r(τ)</c> (cross term r by FFT, energies by prefix sums);
/// cumulative-mean-normalised <c>d′(τ) = d(τ)·τ / Σ_{k=1}^{τ} d(k)</c>; the lag is the first τ ∈ [τ_min, τ_max] with
/// d′ &lt; Threshold, followed down to its local minimum (global minimum if none) — the first-dip rule is the octave guard:
/// a multiple of the period is never preferred to the period; parabolic interpolation of d′ refines τ;
/// <c>F0 = sr/τ</c>. Voicing probability <c>p = clamp(1 − d′(τ), 0, 1)</c>; the frame is voiced when d′(τ) &lt;
/// VoicingThreshold and its RMS ≥ SilenceDb, else F0 = 0. Output [frames × 2]: f0_hz, voicing_prob; frame times
/// <c>i·hop/sr</c>. Meets GPE &lt; 5 % and VDA ≥ 0.9 on the four pitch anchors (58–988 Hz, glides, vibrato, 15 dB noise).
/// <para>Two ways to the cross term, same formula: <see cref="ProcessFrame"/> (one frame, the reference) uses the FFT
/// (<c>r = IFFT(conj(FFT(b[0..W−1]))·FFT(b))</c>, three 1024-point real FFTs). <see cref="Compute(ReadOnlySpan{float})"/>
/// exploits the overlap of consecutive frames (hop ≪ W): with <c>g = gcd(hop, W)</c> it splits each integration window into
/// blocks of g samples, <c>r(τ) = Σ_blocks c_k(τ)</c>, <c>c_k(τ) = Σ_{j&lt;g} x[kg+j]·x[kg+j+τ]</c>, computes each block's
/// lags 0..τ_max once with <see cref="Vector{T}"/> multiply-adds and reuses it for the W/hop frames that share it
/// (≈ 5× fewer operations than the FFTs at the defaults). Silent frames are decided before any cross term is formed, exactly
/// as in the reference. The two differ only by float round-off (the direct sums are the more accurate); a test checks
/// that they agree. The block path is used when g ≥ 8, else Compute falls back to the FFT per frame.</para>
/// </summary>
public sealed class PitchTracker
{
    public PitchOptions Options { get; }
    private readonly int _n; // FFT size
    private readonly int _block; // g = gcd(hop, W): block length of the overlap-reusing cross term (0 = use the FFT)
    private readonly int _lags;  // τ_max + 1 rounded up to whole vectors
    private readonly ThreadLocal<Scratch> _scratch;

    /// <summary>Shortest block (samples) for which <see cref="Compute(ReadOnlySpan{float})"/> uses block correlations rather than the FFT.</summary>
    internal const int MinBlock = 8;

    private sealed class Scratch(int n, int frame, int lags, int ringBlocks)
    {
        public readonly RealFft Fft = new(n);
        public readonly float[] A = new float[n], B = new float[n], Out = new float[n];
        public readonly float[] Ar = new float[n / 2 + 1], Ai = new float[n / 2 + 1], Br = new float[n / 2 + 1], Bi = new float[n / 2 + 1];
        public readonly double[] Prefix = new double[frame + 1];
        public readonly double[] D = new double[frame], Cum = new double[frame];
        public double[] BlockPrefix = [];
        public readonly float[] R = new float[lags];
        // ring of block correlations: block k lives in slot k mod ringBlocks; RingId says which block a slot holds
        public readonly float[] Ring = new float[Math.Max(1, ringBlocks) * lags];
        public readonly long[] RingId = new long[Math.Max(1, ringBlocks)];
    }

    public PitchTracker(PitchOptions? options = null)
    {
        Options = options ?? new PitchOptions();
        Options.Validate();
        _n = (int)BitOperations.RoundUpToPowerOf2((uint)Options.FrameLength);
        int w = Options.FrameLength - Options.TauMax;
        int g = (int)BigInteger.GreatestCommonDivisor(Options.HopLength, w);
        _block = g >= MinBlock ? g : 0;
        const int vc = 32; // two 512-bit vectors
        _lags = (Options.TauMax + 1 + vc - 1) / vc * vc;
        int n = _n, fl = Options.FrameLength, lags = _lags, ring = _block > 0 ? w / _block : 0;
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(n, fl, lags, ring));
    }

    /// <summary>One analysis frame (exactly FrameLength samples) → (F0 Hz or 0, voicing probability). Reference path (FFT cross term).</summary>
    public (float F0, float Probability) ProcessFrame(ReadOnlySpan<float> frame)
    {
        var o = Options;
        if (frame.Length != o.FrameLength) throw new ShapeMismatchException($"pitch frame has {frame.Length} samples, FrameLength = {o.FrameLength}");
        var s = _scratch.Value!;
        s.Prefix[0] = 0;
        for (int j = 0; j < frame.Length; j++) s.Prefix[j + 1] = s.Prefix[j] + (double)frame[j] * frame[j];
        if (IsSilent(s.Prefix)) return (0f, 0f);
        int w = o.FrameLength - o.TauMax;
        // cross term r(τ) = Σ_{j<W} b[j]·b[j+τ] via FFT (no wrap: j+τ < FrameLength ≤ n)
        Array.Clear(s.A); Array.Clear(s.B);
        frame.CopyTo(s.B);
        frame[..w].CopyTo(s.A);
        s.Fft.Forward(s.A, s.Ar, s.Ai);
        s.Fft.Forward(s.B, s.Br, s.Bi);
        for (int k = 0; k < s.Ar.Length; k++) // conj(A)·B
        {
            float ar = s.Ar[k], ai = s.Ai[k], br = s.Br[k], bi = s.Bi[k];
            s.Ar[k] = ar * br + ai * bi;
            s.Ai[k] = ar * bi - ai * br;
        }
        s.Fft.Inverse(s.Ar, s.Ai, s.Out);
        return Pick(s, s.Prefix, s.Out);
    }

    /// <summary>
    /// True when the frame's RMS is below SilenceDb; <paramref name="prefix"/>[j] − prefix[0] is the energy of the frame's
    /// first j samples (j = 0..FrameLength).
    /// </summary>
    private bool IsSilent(ReadOnlySpan<double> prefix)
    {
        int fl = Options.FrameLength;
        double total = prefix[fl] - prefix[0];
        double rmsDb = 10 * Math.Log10(total / fl + 1e-20);
        return rmsDb < Options.SilenceDb;
    }

    /// <summary>From the prefix energies and the cross term r[0..τ_max]: d′, the YIN lag choice, refinement and voicing.</summary>
    private (float F0, float Probability) Pick(Scratch s, ReadOnlySpan<double> prefix, ReadOnlySpan<float> r)
    {
        var o = Options;
        int tauMax = o.TauMax, tauMin = o.TauMin, w = o.FrameLength - tauMax;
        double p0 = prefix[0], e0 = prefix[w] - p0;
        var d = s.D;
        var cumAt = s.Cum;
        d[0] = 0;
        double cum = 0;
        // d′(τ) = d(τ)·τ / Σ_{k≤τ} d(k): the running sum is sequential, the divisions are done afterwards in SIMD
        for (int tau = 1; tau <= tauMax; tau++)
        {
            double et = prefix[tau + w] - prefix[tau];
            double dv = Math.Max(0, e0 + et - 2.0 * r[tau]); // float round-off can make it slightly negative
            cum += dv;
            d[tau] = dv * tau;
            cumAt[tau] = cum;
        }
        System.Numerics.Tensors.TensorPrimitives.Divide<double>(d.AsSpan(1, tauMax), cumAt.AsSpan(1, tauMax), d.AsSpan(1, tauMax));
        for (int tau = 1; tau <= tauMax && !(cumAt[tau] > 0); tau++) d[tau] = 1.0; // no difference yet: d′ = 1
        int best = -1;
        for (int tau = tauMin; tau <= tauMax; tau++)
        {
            if (d[tau] < o.Threshold)
            {
                while (tau + 1 <= tauMax && d[tau + 1] < d[tau]) tau++;
                best = tau; break;
            }
        }
        if (best < 0)
        {
            best = tauMin;
            for (int tau = tauMin + 1; tau <= tauMax; tau++) if (d[tau] < d[best]) best = tau;
        }
        double dmin = d[best];
        double refined = best;
        if (best > 1 && best < tauMax)
        {
            double y0 = d[best - 1], y1 = d[best], y2 = d[best + 1];
            double den = y0 - 2 * y1 + y2;
            if (den > 0)
            {
                double delta = 0.5 * (y0 - y2) / den;
                if (Math.Abs(delta) <= 1) { refined = best + delta; dmin = y1 - 0.25 * (y0 - y2) * delta; }
            }
        }
        float prob = (float)Math.Clamp(1 - dmin, 0, 1);
        if (dmin >= o.VoicingThreshold) return (0f, prob);
        return ((float)(o.SampleRate / refined), prob);
    }

    /// <summary>
    /// Block correlation <c>c[τ] = Σ_{j&lt;g} x[start+j]·x[start+j+τ]</c> for τ = 0.._lags−1 (SIMD over τ, fused
    /// multiply-add; 512-bit vectors when the hardware has them). Reads <c>x[start .. start+g−1+_lags−1]</c>.
    /// </summary>
    private void BlockCorrelation(float[] x, int start, Span<float> c)
    {
        int g = _block;
        if ((uint)start + (uint)(g - 1 + _lags) > (uint)x.Length || c.Length < _lags) throw new UnreachableException("bug: pitch block correlation reads past the padded signal");
        ref float x0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), start);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        int t = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            const int vc = 16; // 2 accumulators per pass: the broadcast of x[j] is shared
            for (; t + 2 * vc <= _lags; t += 2 * vc)
            {
                var a0 = Vector512<float>.Zero; var a1 = Vector512<float>.Zero;
                for (int j = 0; j < g; j++)
                {
                    var xj = Vector512.Create(Unsafe.Add(ref x0, j));
                    a0 = Vector512.FusedMultiplyAdd(xj, Vector512.LoadUnsafe(ref x0, (nuint)(j + t)), a0);
                    a1 = Vector512.FusedMultiplyAdd(xj, Vector512.LoadUnsafe(ref x0, (nuint)(j + t + vc)), a1);
                }
                a0.StoreUnsafe(ref c0, (nuint)t); a1.StoreUnsafe(ref c0, (nuint)(t + vc));
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            const int vc = 8;
            for (; t + vc <= _lags; t += vc)
            {
                var a0 = Vector256<float>.Zero;
                for (int j = 0; j < g; j++)
                    a0 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref x0, j)), Vector256.LoadUnsafe(ref x0, (nuint)(j + t)), a0);
                a0.StoreUnsafe(ref c0, (nuint)t);
            }
        }
        for (; t < _lags; t++)
        {
            float acc = 0;
            for (int j = 0; j < g; j++) acc = MathF.FusedMultiplyAdd(Unsafe.Add(ref x0, j), Unsafe.Add(ref x0, j + t), acc);
            Unsafe.Add(ref c0, t) = acc;
        }
    }

    /// <summary>Scalar reference of the block correlation (tests).</summary>
    internal static void BlockCorrelationScalar(ReadOnlySpan<float> x, int start, int g, Span<float> c)
    {
        for (int t = 0; t < c.Length; t++)
        {
            float acc = 0;
            for (int j = 0; j < g; j++) acc += x[start + j] * x[start + j + t];
            c[t] = acc;
        }
    }

    /// <summary>Frames [a, b) of the padded signal (frame i = x[i·hop .. i·hop + FrameLength − 1]) by block correlations.</summary>
    private void ComputeBlocks(float[] x, int a, int b, Span<float> f0, Span<float> prob)
    {
        var o = Options;
        var s = _scratch.Value!;
        int g = _block, hop = o.HopLength, w = o.FrameLength - o.TauMax, nb = w / g, lags = _lags;
        Array.Fill(s.RingId, -1L);
        // energy prefix over the block's samples, once per sample rather than once per frame (frames overlap FrameLength/hop times)
        int first = a * hop, span = (b - 1 - a) * hop + o.FrameLength;
        if (s.BlockPrefix.Length < span + 1) s.BlockPrefix = new double[span + 1];
        var pre = s.BlockPrefix;
        pre[0] = 0;
        for (int m = 0; m < span; m++) { double v = x[first + m]; pre[m + 1] = pre[m] + v * v; }
        var r = s.R.AsSpan();
        for (int i = a; i < b; i++)
        {
            int start = i * hop;
            var prefix = pre.AsSpan(start - first, o.FrameLength + 1);
            if (IsSilent(prefix)) { f0[i] = 0; prob[i] = 0; continue; }
            long k0 = start / g;
            r.Clear();
            for (int q = 0; q < nb; q++)
            {
                long k = k0 + q;
                int slot = (int)(k % nb);
                var c = s.Ring.AsSpan(slot * lags, lags);
                if (s.RingId[slot] != k) { BlockCorrelation(x, (int)(k * g), c); s.RingId[slot] = k; }
                System.Numerics.Tensors.TensorPrimitives.Add(r, c, r);
            }
            (f0[i], prob[i]) = Pick(s, prefix, r);
        }
    }

    /// <summary>
    /// F0 track [frames × 2] (f0_hz, voicing_prob) of a signal; frames centred on i·hop with zeros outside the signal.
    /// Frames are processed in parallel blocks (<see cref="FeatureParallelism"/>); results do not depend on the thread count.
    /// </summary>
    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var o = Options;
        int frames = Framing.FrameCount(signal.Length, o.FrameLength, o.HopLength, center: true);
        int half = o.FrameLength / 2;
        // zero padding: half a frame before, and after the signal enough for the last frame's lag reads (rounded to whole vectors)
        int need = Math.Max(signal.Length + 2 * half, frames == 0 ? 0 : (frames - 1) * o.HopLength + PaddedFrameSpan);
        var padded = new float[need];
        signal.CopyTo(padded.AsSpan(half));
        var f0 = new float[frames];
        var pr = new float[frames];
        ComputePadded(padded, frames, f0, pr);
        var data = new float[frames * 2];
        for (int i = 0; i < frames; i++) { data[2 * i] = f0[i]; data[2 * i + 1] = pr[i]; }
        return new FeatureMatrix(data, frames, 2, ["f0_hz", "voicing_prob"],
            SignalGuard.Times(frames, o.HopLength, o.FrameLength, true, o.SampleRate), o);
    }

    /// <summary>
    /// Samples of the zero-padded signal that one frame reads, counted from its first sample: the analysis frame plus the
    /// lags the block correlations read past it. Frames [a, b) read <c>(b − 1 − a)·hop + PaddedFrameSpan</c> samples.
    /// </summary>
    internal int PaddedFrameSpan => Options.FrameLength + _lags;

    /// <summary>
    /// Frames 0..frames−1 of <paramref name="padded"/> (frame i = <c>padded[i·hop .. i·hop + FrameLength − 1]</c>, the signal
    /// zero-padded by FrameLength/2 in front) into <paramref name="f0"/>/<paramref name="prob"/>, in blocks of
    /// <see cref="FeatureParallelism.Grain"/> frames. <see cref="Compute(ReadOnlySpan{float})"/> passes the whole padded signal;
    /// streaming extraction passes a window starting at frame a (a multiple of Grain, so blocks and results are the same).
    /// </summary>
    internal void ComputePadded(float[] padded, int frames, float[] f0, float[] prob)
    {
        var o = Options;
        FeatureParallelism.For(frames, (a, b) =>
        {
            if (_block > 0) { ComputeBlocks(padded, a, b, f0, prob); return; }
            for (int i = a; i < b; i++) (f0[i], prob[i]) = ProcessFrame(padded.AsSpan(i * o.HopLength, o.FrameLength));
        });
    }

    /// <summary>The same track with the reference (FFT) cross term on every frame; for tests and comparisons.</summary>
    internal FeatureMatrix ComputeReference(ReadOnlySpan<float> signal)
    {
        var o = Options;
        int frames = Framing.FrameCount(signal.Length, o.FrameLength, o.HopLength, center: true);
        var padded = Framing.Pad(signal, o.FrameLength / 2, PadMode.Constant);
        var data = new float[frames * 2];
        for (int i = 0; i < frames; i++)
        {
            var (f, p) = ProcessFrame(padded.AsSpan(i * o.HopLength, o.FrameLength));
            data[2 * i] = f; data[2 * i + 1] = p;
        }
        return new FeatureMatrix(data, frames, 2, ["f0_hz", "voicing_prob"],
            SignalGuard.Times(frames, o.HopLength, o.FrameLength, true, o.SampleRate), o);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(PitchTracker)));
}
