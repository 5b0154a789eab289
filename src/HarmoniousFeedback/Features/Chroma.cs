using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Chromagram as librosa.feature.chroma_stft: the power spectrogram (<see cref="ChromaOptions.Stft"/>, power 2) times the
/// librosa chroma filterbank — each FFT bin k ≥ 1 at <c>c_k = NChroma·log2(f_k/(A440/16))</c> (A440 = 440·2^{tuning/NChroma})
/// spreads to chroma q with <c>exp(−½(2·D/w_k)²)</c>, D the circular distance, w_k the bin width in chroma units (≥ 1),
/// columns L2-normalised, then weighted by a Gaussian in octaves around <c>CenterOctave</c>; rolled to start at C —
/// and each frame scaled to a maximum of 1 (librosa norm=∞; silent frames stay 0). Output [frames × NChroma].
/// <para>The power spectra are computed 8 frames at a time (<see cref="RealFftBatch"/>, one frame per SIMD lane),
/// bit-identical to the frame-by-frame <see cref="Spectrogram"/>, and stay in lane layout for the filterbank product
/// (<see cref="RealFftBatch.PowerLanes"/>): each chroma value is Σ_k fb[q,k]·|X[k]|² summed in increasing k by fused
/// multiply–adds in float, the same sum in the 8-frame kernel and in the per-frame reference (<see cref="ComputePerFrame"/>,
/// which the tests compare with, exactly). This is float rounding away from the TensorPrimitives.Dot order used before
/// (values in [0, 1]: ≤ 8.4e-7 apart, ≤ 3.2e-6 relative above 1e-3, on the bench's 3 s window and its score). The filterbank is built once per <see cref="ChromaOptions"/> value per process. Thread-safe.</para>
/// </summary>
public sealed class Chroma
{
    public ChromaOptions Options { get; }
    private static readonly ConcurrentDictionary<ChromaOptions, float[]> SharedFilterbanks = new();
    private readonly float[] _fb; // [NChroma × bins], shared between instances of equal options (never written)
    private readonly float[] _fbT; // [bins × NChroma]: the filterbank transposed, for the lane-layout product
    private readonly Spectrogram _stft;
    private readonly BatchedSpectrogram _batched;
    private readonly ThreadLocal<Scratch> _scratch;

    private sealed class Scratch(int bins, int nc)
    {
        public readonly float[] Spectra = new float[RealFftBatch.Lanes * bins];
        public readonly Vector256<float>[] Lanes = new Vector256<float>[bins];
        public readonly Vector256<float>[] Sums = new Vector256<float>[nc];
    }

    public Chroma(ChromaOptions? options = null)
    {
        Options = options ?? new ChromaOptions();
        Options.Validate();
        _stft = new Spectrogram(Options.Stft with { Power = 2.0 });
        _batched = new BatchedSpectrogram(_stft.Options);
        _fb = SharedFilterbanks.GetOrAdd(Options, Filterbank);   // ≈ 24 k exp/pow for n_fft 2048: once per options
        int bins = _stft.Bins, nc = Options.NChroma;
        _fbT = new float[bins * nc];
        for (int q = 0; q < nc; q++)
            for (int k = 0; k < bins; k++) _fbT[k * nc + q] = _fb[q * bins + k];
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(bins, nc));
    }

    /// <summary>The chroma filterbank [NChroma × (n_fft/2+1)], row-major (librosa.filters.chroma).</summary>
    public static float[] Filterbank(ChromaOptions o)
    {
        int nFft = o.Stft.NFft, sr = o.Stft.SampleRate, nc = o.NChroma, bins = nFft / 2 + 1;
        double a440 = 440.0 * Math.Pow(2.0, o.Tuning / nc);
        var frq = new double[nFft];
        for (int k = 1; k < nFft; k++) frq[k] = nc * Math.Log2((double)k * sr / nFft / (a440 / 16));
        frq[0] = frq[1] - 1.5 * nc;
        var width = new double[nFft];
        for (int k = 0; k < nFft - 1; k++) width[k] = Math.Max(frq[k + 1] - frq[k], 1.0);
        width[nFft - 1] = 1;
        var w = new double[nc, nFft];
        double half = Math.Round(nc / 2.0);
        for (int k = 0; k < nFft; k++)
        {
            double norm = 0;
            for (int q = 0; q < nc; q++)
            {
                double d = frq[k] - q;
                d = ((d + half + 10 * nc) % nc + nc) % nc - half;
                double v = Math.Exp(-0.5 * Math.Pow(2 * d / width[k], 2));
                w[q, k] = v; norm += v * v;
            }
            norm = Math.Sqrt(norm);
            for (int q = 0; q < nc; q++)
            {
                w[q, k] = norm > 0 ? w[q, k] / norm : 0;
                if (o.OctaveWidth is double ow) w[q, k] *= Math.Exp(-0.5 * Math.Pow((frq[k] / nc - o.CenterOctave) / ow, 2));
            }
        }
        int roll = o.BaseC ? 3 * (nc / 12) : 0;
        var fb = new float[nc * bins];
        for (int q = 0; q < nc; q++)
            for (int k = 0; k < bins; k++)
                fb[q * bins + k] = (float)w[(q + roll) % nc, k];
        return fb;
    }

    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var o = _stft.Options;
        int nc = Options.NChroma, hop = o.HopLength;
        var data = FrameRows.All(signal, o.NFft, hop, o.Center, o.PadMode, nc, Rows);
        int frames = data.Length / nc;
        return Matrix(data, frames, SignalGuard.Times(frames, hop, o.NFft, o.Center, o.SampleRate));
    }

    /// <summary>
    /// Chroma rows of the frames <c>signal[starts[f] .. starts[f] + n_fft)</c> (raw samples, the window is applied here),
    /// frame f into <c>chroma[f·NChroma ..]</c>; at most <see cref="RealFftBatch.Lanes"/> frames per call. With the batched
    /// FFT the power spectra stay in lane layout (<see cref="BatchedSpectrogram.PowerLanes"/>) and the filterbank product
    /// runs on 8 frames at once (<see cref="FilterLanes"/>); otherwise frame by frame (<see cref="Row"/>) — the same sums.
    /// </summary>
    internal void Rows(ReadOnlySpan<float> signal, ReadOnlySpan<int> starts, Span<float> chroma)
    {
        var s = _scratch.Value!;
        int nc = Options.NChroma, bins = _stft.Bins;
        if (_batched.Batched && starts.Length > 0)
        {
            _batched.PowerLanes(signal, starts, s.Lanes);
            FilterLanes(s.Lanes, _fbT, s.Sums);
            for (int f = 0; f < starts.Length; f++)
            {
                var row = chroma.Slice(f * nc, nc);
                for (int q = 0; q < nc; q++) row[q] = s.Sums[q].GetElement(f);
                Normalize(row);
            }
            return;
        }
        _batched.Frames(signal, starts, s.Spectra);
        for (int f = 0; f < starts.Length; f++) Row(s.Spectra.AsSpan(f * bins, bins), chroma.Slice(f * nc, nc));
    }

    /// <summary>
    /// sums[q] = Σ_k fbT[k·NChroma + q] · power[k] for the 8 lanes at once, k in increasing order, one fused multiply–add
    /// per term — per lane exactly <see cref="Row"/>'s sum. Twelve accumulators at a time (12 chains cover the FMA latency;
    /// 14 of the 16 vector registers), then one at a time.
    /// </summary>
    private static void FilterLanes(ReadOnlySpan<Vector256<float>> power, float[] fbT, Span<Vector256<float>> sums)
    {
        int nc = sums.Length, bins = fbT.Length / nc, q = 0;
        ref Vector256<float> p = ref MemoryMarshal.GetReference(power);
        ref float w = ref MemoryMarshal.GetArrayDataReference(fbT);
        for (; q + 12 <= nc; q += 12)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
            Vector256<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
            for (int k = 0; k < bins; k++)
            {
                var pk = Unsafe.Add(ref p, k);
                ref float wk = ref Unsafe.Add(ref w, k * nc + q);
                a0 = Vector256.FusedMultiplyAdd(Vector256.Create(wk), pk, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 1)), pk, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 2)), pk, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 3)), pk, a3);
                a4 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 4)), pk, a4);
                a5 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 5)), pk, a5);
                a6 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 6)), pk, a6);
                a7 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 7)), pk, a7);
                a8 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 8)), pk, a8);
                a9 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 9)), pk, a9);
                a10 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 10)), pk, a10);
                a11 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 11)), pk, a11);
            }
            sums[q] = a0; sums[q + 1] = a1; sums[q + 2] = a2; sums[q + 3] = a3; sums[q + 4] = a4; sums[q + 5] = a5;
            sums[q + 6] = a6; sums[q + 7] = a7; sums[q + 8] = a8; sums[q + 9] = a9; sums[q + 10] = a10; sums[q + 11] = a11;
        }
        for (; q < nc; q++)
        {
            Vector256<float> a = default;
            for (int k = 0; k < bins; k++) a = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref w, k * nc + q)), Unsafe.Add(ref p, k), a);
            sums[q] = a;
        }
    }

    /// <summary>
    /// One frame's chroma: Σ_k fb[q, k]·|X[k]|² summed in increasing k in float, one fused multiply–add per term
    /// (<see cref="MathF.FusedMultiplyAdd"/>), then the row scaled to a maximum magnitude of 1 (<see cref="Normalize"/>).
    /// The scalar reference of <see cref="FilterLanes"/>.
    /// </summary>
    private void Row(ReadOnlySpan<float> spectrum, Span<float> row)
    {
        int bins = _stft.Bins;
        for (int q = 0; q < row.Length; q++)
        {
            var fb = _fb.AsSpan(q * bins, bins);
            float acc = 0f;
            for (int k = 0; k < bins; k++) acc = MathF.FusedMultiplyAdd(fb[k], spectrum[k], acc);
            row[q] = acc;
        }
        Normalize(row);
    }

    /// <summary>librosa's norm=∞: the row divided by its largest magnitude (a silent row stays 0).</summary>
    private static void Normalize(Span<float> row)
    {
        float mx = System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(row);
        if (mx > float.Epsilon) System.Numerics.Tensors.TensorPrimitives.Divide(row, mx, row);
    }

    /// <summary>Reference of <see cref="Compute(ReadOnlySpan{float})"/>: the frame-by-frame <see cref="Spectrogram"/> then the filterbank (tests check the batched path is bit-identical).</summary>
    internal FeatureMatrix ComputePerFrame(ReadOnlySpan<float> signal)
    {
        var s = _stft.Compute(signal);
        int nc = Options.NChroma;
        var data = new float[s.Rows * nc];
        for (int i = 0; i < s.Rows; i++) Row(s.Row(i), data.AsSpan(i * nc, nc));
        return Matrix(data, s.Rows, s.FrameTimes);
    }

    private FeatureMatrix Matrix(float[] data, int rows, double[] times)
    {
        int nc = Options.NChroma;
        string[] names = nc == 12 ? ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"] : SignalGuard.Names("chroma_", nc);
        if (!Options.BaseC && nc == 12) names = ["A", "A#", "B", "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#"];
        return new FeatureMatrix(data, rows, nc, names, times, Options);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.Stft.SampleRate, nameof(Chroma)));
}
