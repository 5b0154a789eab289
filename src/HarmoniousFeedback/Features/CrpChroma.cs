using System.Numerics.Tensors;
using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features;

/// <summary>
/// CRP chroma ("chroma DCT-reduced log pitch", Müller &amp; Ewert 2010): a pitch-class profile from which the spectral
/// envelope — the part of the spectrum that says which instrument plays rather than which notes — has been removed.
/// <code>
///   E(t, p)  = Σ_k w(p, k) · |X(t, k)|²                pitch energies, p = 0 … 119 (MIDI pitch), f_p = 440·2^((p − 69 − tuning)/12)
///   w(p, k)  = exp(−½ (2·(m_k − p)/max(1, Δm_k))²)       m_k the MIDI pitch of FFT bin k ≥ 1, Δm_k its width in semitones
///                                                       (librosa's chroma spreading, without folding to one octave)
///   L(t, p)  = log(1 + η·E(t, p) / max_p' E(t, p'))     η = <see cref="CrpChromaOptions.LogFactor"/>; the frame's energies are
///                                                       scaled to a maximum of 1 first (the Chroma Toolbox's η assumes
///                                                       normalised energies; an STFT's scale is arbitrary)
///   V(t, ·)  = DCT⁻¹(M ⊙ DCT(L(t, ·)))                  orthonormal DCT-II over the 120 pitches, M zeroes coefficients 1 … n−1
///   C(t, c)  = Σ_{p ≡ c (mod 12)} V(t, p),  c = 0 (C) … 11 (B),   then C(t, ·) / ‖C(t, ·)‖₂   (0 when the frame is silent)
/// </code>
/// The reduction V = D⁻¹ M D and the folding are one precomputed [12 × 120] matrix, so a frame costs its pitch
/// energies (a sparse band of bins per pitch), 120 logarithms and a 12 × 120 product. Values are signed (the removed
/// envelope took the mean), so compare frames by cosine, not by a non-negative distance. A frame is silent (all 0) when
/// every E(t, p) is 0. Output [frames × 12], columns C … B, rows at the STFT's frame times.
/// </summary>
public sealed class CrpChroma
{
    /// <summary>Number of pitch bands (MIDI 0 … 119), as in the Chroma Toolbox.</summary>
    public const int Pitches = 120;

    private static readonly string[] Names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    private readonly Spectrogram _stft;
    private readonly int[] _start, _length;   // per pitch: its band of FFT bins
    private readonly float[] _weights;        // per pitch: the band's weights, concatenated
    private readonly int[] _offset;
    private readonly float[] _reduce;         // [12 × 120]: fold ∘ DCT⁻¹ ∘ mask ∘ DCT

    public CrpChroma(CrpChromaOptions? options = null)
    {
        Options = options ?? new CrpChromaOptions();
        Options.Validate();
        _stft = new Spectrogram(Options.Stft with { Power = 2.0 });
        (_start, _length, _offset, _weights) = PitchFilterbank.Create(Options.Stft.NFft, Options.Stft.SampleRate, Options.Tuning, Pitches);
        _reduce = Reduction(Options.FirstKeptCoefficient);
    }

    public CrpChromaOptions Options { get; }

    /// <summary>The [12 × 120] matrix that maps log pitch energies to (unnormalised) CRP chroma: fold · D⁻¹ · M · D.</summary>
    public static float[] Reduction(int firstKept)
    {
        int n = Pitches;
        var d = new double[n, n];   // orthonormal DCT-II: d[k, p] = s_k cos(π (p + ½) k / n)
        for (int k = 0; k < n; k++)
            for (int p = 0; p < n; p++)
                d[k, p] = Math.Sqrt((k == 0 ? 1.0 : 2.0) / n) * Math.Cos(Math.PI * (p + 0.5) * k / n);
        var r = new float[12 * n];
        for (int q = 0; q < n; q++)           // input pitch
            for (int p = 0; p < n; p++)       // output pitch: V(p) = Σ_{k ≥ firstKept−1} d[k, p] d[k, q] L(q)
            {
                double s = 0;
                for (int k = firstKept - 1; k < n; k++) s += d[k, p] * d[k, q];
                r[(p % 12) * n + q] += (float)s;
            }
        return r;
    }

    /// <summary>CRP chroma of a mono signal at <see cref="SpectrogramOptions.SampleRate"/> → [frames × 12].</summary>
    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        var s = _stft.Compute(signal);
        var data = new float[s.Rows * 12];
        Span<float> logE = stackalloc float[Pitches];
        float eta = (float)Options.LogFactor;
        for (int t = 0; t < s.Rows; t++)
        {
            var power = s.Row(t);
            float max = 0;
            for (int p = 0; p < Pitches; p++)
            {
                float e = _length[p] == 0 ? 0f : TensorPrimitives.Dot(_weights.AsSpan(_offset[p], _length[p]), power.Slice(_start[p], _length[p]));
                logE[p] = e;
                max = MathF.Max(max, e);
            }
            if (!(max > 0)) continue;
            for (int p = 0; p < Pitches; p++) logE[p] = MathF.Log(1 + eta * logE[p] / max);
            var row = data.AsSpan(t * 12, 12);
            for (int c = 0; c < 12; c++) row[c] = TensorPrimitives.Dot(_reduce.AsSpan(c * Pitches, Pitches), logE);
            float norm = TensorPrimitives.Norm(row);
            if (norm > 1e-12f) TensorPrimitives.Divide(row, norm, row);
            else row.Clear();
        }
        return new FeatureMatrix(data, s.Rows, 12, Names, s.FrameTimes, Options);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.Stft.SampleRate, nameof(CrpChroma)));
}
