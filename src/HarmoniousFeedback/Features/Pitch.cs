using System.Globalization;
using System.Numerics;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Options of <see cref="PitchTracker"/> (YIN, de Cheveigné &amp; Kawahara 2002). Frames are centred on sample
/// <c>i·HopLength</c> (the spectrogram grid), each analysing <c>FrameLength</c> samples around its centre (zeros outside
/// the signal).
/// </summary>
public sealed record PitchOptions
{
    public int SampleRate { get; init; } = 16000;
    public int HopLength { get; init; } = 160;
    /// <summary>Lowest F0 searched (Hz); sets the longest lag <c>τ_max = ceil(sr/FMin)</c>.</summary>
    public double FMin { get; init; } = 50;
    /// <summary>Highest F0 searched (Hz); sets the shortest lag <c>τ_min = floor(sr/FMax)</c>.</summary>
    public double FMax { get; init; } = 1100;
    /// <summary>Analysis samples per frame (64 ms at 16 kHz): the integration window is <c>W = FrameLength − τ_max</c>, which must be ≥ τ_max (≥ one period of FMin).</summary>
    public int FrameLength { get; init; } = 1024;
    /// <summary>YIN absolute threshold on the cumulative-mean-normalised difference d′: the first dip below it is taken (prevents sub-octave errors).</summary>
    public double Threshold { get; init; } = 0.15;
    /// <summary>A frame is voiced when d′ at the chosen lag is below this (and the frame is not silent).</summary>
    public double VoicingThreshold { get; init; } = 0.3;
    /// <summary>Frames whose RMS is below this level (dBFS) are unvoiced.</summary>
    public double SilenceDb { get; init; } = -60;

    public int TauMin => Math.Max(2, (int)Math.Floor(SampleRate / FMax));
    public int TauMax => (int)Math.Ceiling(SampleRate / FMin);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(PitchOptions));
        v.InRange(nameof(SampleRate), SampleRate, 1000, 1_000_000);
        v.InRange(nameof(HopLength), HopLength, 1, 1 << 24);
        v.Check(FMin > 0 && FMin < FMax, $"FMin = {FMin.ToString(CultureInfo.InvariantCulture)} must be in (0, FMax = {FMax.ToString(CultureInfo.InvariantCulture)})");
        v.Check(FMax < SampleRate / 4.0, $"FMax = {FMax.ToString(CultureInfo.InvariantCulture)} must be < SampleRate/4 = {(SampleRate / 4.0).ToString(CultureInfo.InvariantCulture)}");
        if (FMin > 0) v.Check(FrameLength >= 2 * TauMax && FrameLength <= 1 << 20,
            $"FrameLength = {FrameLength} must be in [2·ceil(SampleRate/FMin) = {2 * TauMax}, 1048576] (at least two periods of FMin)");
        v.InRange(nameof(Threshold), Threshold, 0.01, 1);
        v.InRange(nameof(VoicingThreshold), VoicingThreshold, 0.01, 1);
        v.InRange(nameof(SilenceDb), SilenceDb, -200, 0);
        v.ThrowFeatureIfAny();
    }
}

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
/// </summary>
public sealed class PitchTracker
{
    public PitchOptions Options { get; }
    private readonly int _n; // FFT size
    private readonly ThreadLocal<Scratch> _scratch;

    private sealed class Scratch(int n, int frame)
    {
        public readonly RealFft Fft = new(n);
        public readonly float[] A = new float[n], B = new float[n], Out = new float[n];
        public readonly float[] Ar = new float[n / 2 + 1], Ai = new float[n / 2 + 1], Br = new float[n / 2 + 1], Bi = new float[n / 2 + 1];
        public readonly double[] Prefix = new double[frame + 1];
        public readonly double[] D = new double[frame];
    }

    public PitchTracker(PitchOptions? options = null)
    {
        Options = options ?? new PitchOptions();
        Options.Validate();
        _n = (int)BitOperations.RoundUpToPowerOf2((uint)Options.FrameLength);
        int n = _n, fl = Options.FrameLength;
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(n, fl));
    }

    /// <summary>One analysis frame (exactly FrameLength samples) → (F0 Hz or 0, voicing probability).</summary>
    public (float F0, float Probability) ProcessFrame(ReadOnlySpan<float> frame)
    {
        var o = Options;
        if (frame.Length != o.FrameLength) throw new ShapeMismatchException($"pitch frame has {frame.Length} samples, FrameLength = {o.FrameLength}");
        var s = _scratch.Value!;
        int tauMax = o.TauMax, tauMin = o.TauMin, w = o.FrameLength - tauMax;
        // energies
        s.Prefix[0] = 0;
        for (int j = 0; j < frame.Length; j++) s.Prefix[j + 1] = s.Prefix[j] + (double)frame[j] * frame[j];
        double total = s.Prefix[frame.Length];
        double rmsDb = 10 * Math.Log10(total / frame.Length + 1e-20);
        if (rmsDb < o.SilenceDb) return (0f, 0f);
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
        double e0 = s.Prefix[w];
        var d = s.D;
        d[0] = 0;
        double cum = 0;
        // d′ stored in place of d
        for (int tau = 1; tau <= tauMax; tau++)
        {
            double et = s.Prefix[tau + w] - s.Prefix[tau];
            double dv = Math.Max(0, e0 + et - 2.0 * s.Out[tau]); // float round-off can make it slightly negative
            cum += dv;
            d[tau] = cum > 0 ? dv * tau / cum : 1.0;
        }
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

    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var o = Options;
        int frames = Framing.FrameCount(signal.Length, o.FrameLength, o.HopLength, center: true);
        int half = o.FrameLength / 2;
        var padded = Framing.Pad(signal, half, PadMode.Constant);
        var data = new float[frames * 2];
        FeatureParallelism.For(frames, (a, b) =>
        {
            for (int i = a; i < b; i++)
            {
                var (f0, p) = ProcessFrame(padded.AsSpan(i * o.HopLength, o.FrameLength));
                data[2 * i] = f0; data[2 * i + 1] = p;
            }
        });
        return new FeatureMatrix(data, frames, 2, ["f0_hz", "voicing_prob"],
            SignalGuard.Times(frames, o.HopLength, o.FrameLength, true, o.SampleRate), o);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(PitchTracker)));
}
