using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Midi.Rendering;

/// <summary>
/// Options of <see cref="PianoSynthesizer"/>. Defaults give a plausible, slightly dark piano at 16 kHz; every time
/// constant is given for middle C (MIDI 60) and scaled with pitch as documented on each property.
/// </summary>
public sealed record PianoSynthesizerOptions
{
    /// <summary>Output sample rate in Hz (8,000 – 192,000). Default 16,000.</summary>
    public int SampleRate { get; init; } = 16_000;

    /// <summary>Maximum number of partials per note (1 – 64); partials at or above 0.45·SampleRate are dropped (band limit).</summary>
    public int PartialCount { get; init; } = 12;

    /// <summary>
    /// String inharmonicity coefficient B (0 – 0.01): partial k sounds at <c>f_k = k·f0·sqrt(1 + B·k²)</c>
    /// (Fletcher, Blackham &amp; Stratton 1962). Real pianos have B ≈ 1e-4 (bass) … 1e-2 (top treble); default 4e-4.
    /// </summary>
    public double Inharmonicity { get; init; } = 4e-4;

    /// <summary>Time constant τ₁ (s) of the fast "prompt sound" decay at middle C (0.01 – 10). Default 0.35 s.</summary>
    public double PromptDecaySeconds { get; init; } = 0.35;

    /// <summary>Time constant τ₂ (s) of the slow "aftersound" decay at middle C (0.1 – 60). Default 3.5 s.</summary>
    public double AftersoundDecaySeconds { get; init; } = 3.5;

    /// <summary>Weight w (0 – 1) of the aftersound in the two-stage envelope <c>(1−w)·e^(−t/τ₁) + w·e^(−t/τ₂)</c>. Default 0.3.</summary>
    public double AftersoundWeight { get; init; } = 0.3;

    /// <summary>
    /// Pitch scaling of the decay: τ₁ and τ₂ are multiplied by <c>2^(−(p−60)/(12·DecayOctaves))</c>, i.e. they halve every
    /// <c>DecayOctaves</c> octaves upwards (0.25 – 10). Default 1.5 (treble notes die away much faster than bass notes).
    /// </summary>
    public double DecayOctaves { get; init; } = 1.5;

    /// <summary>Extra decay rate (1/s) per partial number above the first: partial k decays with an extra <c>e^(−(k−1)·r·t)</c>, darkening the tone over time (0 – 50). Default 1.2.</summary>
    public double PartialDamping { get; init; } = 1.2;

    /// <summary>Loudness curve exponent γ (0.5 – 4): amplitude <c>A(v) = (v/127)^γ</c> for velocity v. Default 1.8 (v 64 ≈ −11 dB re v 127).</summary>
    public double VelocityExponent { get; init; } = 1.8;

    /// <summary>Spectral slope β at velocity 0 (0 – 6): partial amplitude <c>k^(−β(v))</c>. Default 2.4 (soft notes are dull).</summary>
    public double SoftSpectralSlope { get; init; } = 2.4;

    /// <summary>Spectral slope β at velocity 127 (0 – 6); β(v) moves linearly between the two. Default 0.9 (loud notes are bright).</summary>
    public double LoudSpectralSlope { get; init; } = 0.9;

    /// <summary>Honour the sustain pedal: notes sound until <see cref="MidiNote.PedalOffset"/> (true, default) or stop at <see cref="MidiNote.Offset"/>.</summary>
    public bool Pedal { get; init; } = true;

    /// <summary>Damper time constant τ_r (s) after release (0.005 – 5): the sound is multiplied by <c>e^(−(t−t_off)/τ_r)</c>. Default 0.1.</summary>
    public double ReleaseSeconds { get; init; } = 0.1;

    /// <summary>Linear attack ramp length (s) that avoids a click at the onset (0 – 0.1). Default 0.002.</summary>
    public double AttackSeconds { get; init; } = 0.002;

    /// <summary>Master gain applied to the sum of all notes before the limiter (1e-4 – 10). Default 0.12.</summary>
    public double Gain { get; init; } = 0.12;

    /// <summary>
    /// Soft-limiter threshold T (0.1 – 1): samples with |x| ≤ T pass unchanged; above it
    /// <c>y = sign(x)·(T + (1−T)·u/(1+u))</c> with <c>u = (|x|−T)/(1−T)</c>, which is continuous with slope 1 at T and approaches 1
    /// only asymptotically (a rational curve, unlike tanh, stays below 1 in float32 even for |x| = 1000).
    /// So loudness differences between clips are kept (no per-clip normalisation) and nothing clips. Default 0.9.
    /// </summary>
    public double LimiterThreshold { get; init; } = 0.9;

    /// <summary>
    /// A second voicing of the built-in synthesizer for renderer hold-out without FluidSynth: more inharmonic (B = 1.2e-3),
    /// fewer partials (10), faster and shorter decay (τ₁ 0.25 s, τ₂ 2 s, w 0.2, τ halving every 1.2 octaves), duller
    /// spectrum (β 3.0 soft … 1.4 loud, partial damping 2.5 /s), flatter velocity curve (γ 1.5), longer release
    /// (0.15 s) and gain 0.16. Not modelled on a particular instrument; it only has to sound different from the default.
    /// </summary>
    public static PianoSynthesizerOptions Upright { get; } = new()
    {
        PartialCount = 10,
        Inharmonicity = 1.2e-3,
        PromptDecaySeconds = 0.25,
        AftersoundDecaySeconds = 2.0,
        AftersoundWeight = 0.2,
        DecayOctaves = 1.2,
        PartialDamping = 2.5,
        VelocityExponent = 1.5,
        SoftSpectralSlope = 3.0,
        LoudSpectralSlope = 1.4,
        ReleaseSeconds = 0.15,
        Gain = 0.16,
    };

    public void Validate()
    {
        var v = new OptionsValidator(nameof(PianoSynthesizerOptions));
        v.InRange(nameof(SampleRate), SampleRate, 8000, 192000);
        v.InRange(nameof(PartialCount), PartialCount, 1, 64);
        v.InRange(nameof(Inharmonicity), Inharmonicity, 0, 0.01);
        v.InRange(nameof(PromptDecaySeconds), PromptDecaySeconds, 0.01, 10);
        v.InRange(nameof(AftersoundDecaySeconds), AftersoundDecaySeconds, 0.1, 60);
        v.InRange(nameof(AftersoundWeight), AftersoundWeight, 0, 1);
        v.InRange(nameof(DecayOctaves), DecayOctaves, 0.25, 10);
        v.InRange(nameof(PartialDamping), PartialDamping, 0, 50);
        v.InRange(nameof(VelocityExponent), VelocityExponent, 0.5, 4);
        v.InRange(nameof(SoftSpectralSlope), SoftSpectralSlope, 0, 6);
        v.InRange(nameof(LoudSpectralSlope), LoudSpectralSlope, 0, 6);
        v.InRange(nameof(ReleaseSeconds), ReleaseSeconds, 0.005, 5);
        v.InRange(nameof(AttackSeconds), AttackSeconds, 0, 0.1);
        v.InRange(nameof(Gain), Gain, 1e-4, 10);
        v.InRange(nameof(LimiterThreshold), LimiterThreshold, 0.1, 1);
        v.ThrowIfAny();
    }

    /// <summary>All options as one invariant-culture string (part of the renderer's cache key).</summary>
    public string ToKeyString() => string.Create(CultureInfo.InvariantCulture,
        $"sr={SampleRate};K={PartialCount};B={Inharmonicity:R};t1={PromptDecaySeconds:R};t2={AftersoundDecaySeconds:R};w={AftersoundWeight:R};" +
        $"oct={DecayOctaves:R};pd={PartialDamping:R};g={VelocityExponent:R};bs={SoftSpectralSlope:R};bl={LoudSpectralSlope:R};ped={Pedal};" +
        $"rel={ReleaseSeconds:R};att={AttackSeconds:R};gain={Gain:R};lim={LimiterThreshold:R}");
}

/// <summary>
/// Built-in additive piano synthesizer (pure C#, mono). Each note of pitch p and velocity v is
/// <code>
///   x(t) = Gain · A(v) · E(t) · R(t) · Σ_k a_k · e^(−(k−1)·r·t) · sin(2π f_k t),    0 ≤ t &lt; note end
///   f0 = 440 · 2^((p−69)/12),   f_k = k · f0 · sqrt(1 + B k²),   f_k &lt; 0.45·fs,   k ≤ PartialCount
///   a_k = k^(−β(v)),   β(v) = β_soft + (β_loud − β_soft) · v/127          (brighter when louder)
///   A(v) = (v/127)^γ
///   E(t) = (1−w)·e^(−t/τ₁(p)) + w·e^(−t/τ₂(p)),   τᵢ(p) = τᵢ · 2^(−(p−60)/(12·DecayOctaves))   (two-stage decay)
///   R(t) = 1 before the release time t_off, e^(−(t−t_off)/τ_r) after it
/// </code>
/// with t_off the pedal-extended offset (<see cref="MidiNote.PedalOffset"/>) when <see cref="PianoSynthesizerOptions.Pedal"/>
/// is on, otherwise <see cref="MidiNote.Offset"/>; a 2 ms linear attack ramp removes onset clicks. A note stops being
/// computed once R(t)·E(t) &lt; 10⁻³ (−60 dB). The mix is soft-limited (see <see cref="PianoSynthesizerOptions.LimiterThreshold"/>);
/// no per-clip normalisation is applied, so loudness remains a cue. The clip lasts until the last note's release has
/// decayed by 60 dB: <c>duration = max(t_off) + 6.91·τ_r</c>.
/// <para>
/// Speed: each partial is a damped complex exponential computed by recurrence — <see cref="Vector{T}"/> lanes hold
/// W consecutive samples z[n..n+W) and one complex multiplication by ρ^W (ρ = e^(−λ + iω)) advances all of them, so
/// there is no per-sample sin/exp call; the phase is re-seeded exactly every 4,096 samples to stop float drift.
/// The envelope (a sum of two exponentials before and after the release) is computed and applied the same way, in one
/// fused pass per note. One scratch buffer is rented per score. Rendering one score is single-threaded; render
/// many scores in parallel (the instance is immutable and thread-safe).
/// </para>
/// </summary>
public sealed class PianoSynthesizer : IMidiRenderer
{
    /// <summary>Bumped whenever the synthesis changes, so cached renders are not reused across versions.</summary>
    public const int Version = 1;

    private const double SilenceThreshold = 1e-3;
    private const int ReseedBlock = 4096;

    public PianoSynthesizerOptions Options { get; }

    public PianoSynthesizer(PianoSynthesizerOptions? options = null)
    {
        Options = options ?? new PianoSynthesizerOptions();
        Options.Validate();
    }

    public string Name => "builtin-piano";
    public int SampleRate => Options.SampleRate;
    public string CacheKey => $"{Name}/v{Version}/{Options.ToKeyString()}";

    /// <inheritdoc/>
    public AudioClip Render(MidiScore score, byte[]? midiBytes) => Render(score);

    /// <summary>Renders <paramref name="score"/> to a mono clip at <see cref="PianoSynthesizerOptions.SampleRate"/>.</summary>
    public AudioClip Render(MidiScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var o = Options;
        int fs = o.SampleRate;
        double tail = 6.91 * o.ReleaseSeconds;
        double end = 0;
        foreach (var n in score.Notes)
        {
            if (!double.IsFinite(n.Onset) || !double.IsFinite(n.PedalOffset) || !double.IsFinite(n.Offset) || n.Onset < 0)
                throw new MidiFormatException(score.Source, $"note at {n.Onset.ToString(CultureInfo.InvariantCulture)} s has a non-finite or negative time");
            end = Math.Max(end, ReleaseTime(n));
        }
        int length = score.Notes.Count == 0 ? 0 : (int)Math.Ceiling((end + tail) * fs);
        var output = new float[length];
        if (length == 0) return new AudioClip(output, fs, score.Source);

        var note = ArrayPool<float>.Shared.Rent(length);
        try
        {
            foreach (var n in score.Notes) RenderNote(n, output, note);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(note);
        }
        SoftLimit(output, (float)o.LimiterThreshold);
        return new AudioClip(output, fs, score.Source);
    }

    private double ReleaseTime(MidiNote n) => Math.Max(n.Onset, Options.Pedal ? Math.Max(n.PedalOffset, n.Offset) : n.Offset);

    private void RenderNote(MidiNote n, float[] output, float[] note)
    {
        var o = Options;
        if (n.Velocity <= 0 || n.Pitch is < 0 or > 127) return;
        int fs = o.SampleRate;
        int start = (int)Math.Round(n.Onset * fs);
        if (start >= output.Length) return;

        double pitchScale = Math.Pow(2, -(n.Pitch - 60) / (12.0 * o.DecayOctaves));
        double tau1 = o.PromptDecaySeconds * pitchScale, tau2 = o.AftersoundDecaySeconds * pitchScale;
        double w = o.AftersoundWeight;
        double held = ReleaseTime(n) - n.Onset;
        // Natural decay to −60 dB (bound from the slower stage), or the release decay to −60 dB.
        double natural = w > 0 ? tau2 * Math.Log(Math.Max(w, 1e-12) / SilenceThreshold) : tau1 * Math.Log(1 / SilenceThreshold);
        double released = held + o.ReleaseSeconds * Math.Log(1 / SilenceThreshold);
        int len = Math.Min(output.Length - start, (int)Math.Ceiling(Math.Min(natural, released) * fs) + 1);
        if (len <= 0) return;
        var buf = note.AsSpan(0, len);
        buf.Clear();

        // Partials: a_k e^{-(k-1) r t} sin(2π f_k t)
        double f0 = 440.0 * Math.Pow(2, (n.Pitch - 69) / 12.0);
        double beta = o.SoftSpectralSlope + (o.LoudSpectralSlope - o.SoftSpectralSlope) * n.Velocity / 127.0;
        double nyquistLimit = 0.45 * fs;
        for (int k = 1; k <= o.PartialCount; k++)
        {
            double fk = k * f0 * Math.Sqrt(1 + o.Inharmonicity * k * k);
            if (fk >= nyquistLimit) break;
            double ak = Math.Pow(k, -beta);
            double lambda = (k - 1) * o.PartialDamping / fs; // per-sample decay rate
            double omega = 2 * Math.PI * fk / fs;            // per-sample phase increment
            AccumulateDampedSine(buf, (float)ak, lambda, omega);
        }

        // Attack ramp, then output += note · Gain·A(v)·E(t)·R(t). Both segments (before/after the release) are a sum of
        // two exponentials in n, so the envelope is also computed by recurrence (no exp per sample).
        int attack = Math.Min(len, (int)Math.Round(o.AttackSeconds * fs));
        for (int i = 0; i < attack; i++) buf[i] *= (float)i / attack;
        double amp = o.Gain * Math.Pow(n.Velocity / 127.0, o.VelocityExponent);
        double d1 = 1.0 / (tau1 * fs), d2 = 1.0 / (tau2 * fs), dr = 1.0 / (o.ReleaseSeconds * fs);
        double c1 = (1 - w) * amp, c2 = w * amp;
        int off = Math.Clamp((int)Math.Round(held * fs), 0, len);
        var dst = output.AsSpan(start, len);
        MultiplyAccumulateTwoExponentials(buf[..off], dst[..off], 0, c1, d1, c2, d2);
        if (off < len)
        {
            // c·e^(−d·n) · e^(−dr(n−off)) = c·e^(−d·off) · e^(−(d+dr)(n−off)): restart the count at the release.
            MultiplyAccumulateTwoExponentials(buf[off..], dst[off..], 0, c1 * Math.Exp(-d1 * off), d1 + dr, c2 * Math.Exp(-d2 * off), d2 + dr);
        }
    }

    /// <summary>
    /// <c>y[i] += x[i] · (c₁·e^(−d₁(n₀+i)) + c₂·e^(−d₂(n₀+i)))</c>: the two exponentials advance by recurrence in
    /// <see cref="Vector{T}"/> lanes (one multiply per W samples each), re-seeded exactly every 4,096 samples.
    /// </summary>
    internal static void MultiplyAccumulateTwoExponentials(ReadOnlySpan<float> x, Span<float> y, int n0, double c1, double d1, double c2, double d2)
    {
        int W = Vector<float>.Count;
        Span<float> l1 = stackalloc float[W];
        Span<float> l2 = stackalloc float[W];
        var s1 = new Vector<float>((float)Math.Exp(-d1 * W));
        var s2 = new Vector<float>((float)Math.Exp(-d2 * W));
        for (int block = 0; block < x.Length; block += ReseedBlock)
        {
            int blockEnd = Math.Min(x.Length, block + ReseedBlock);
            for (int j = 0; j < W; j++)
            {
                double nn = n0 + block + j;
                l1[j] = (float)(c1 * Math.Exp(-d1 * nn));
                l2[j] = (float)(c2 * Math.Exp(-d2 * nn));
            }
            var e1 = new Vector<float>(l1);
            var e2 = new Vector<float>(l2);
            int count = (blockEnd - block) / W * W;
            var xs = MemoryMarshal.Cast<float, Vector<float>>(x.Slice(block, count));
            var ys = MemoryMarshal.Cast<float, Vector<float>>(y.Slice(block, count));
            for (int v = 0; v < xs.Length; v++)
            {
                ys[v] += xs[v] * (e1 + e2);
                e1 *= s1;
                e2 *= s2;
            }
            var env = e1 + e2;
            for (int i = block + count, j = 0; i < blockEnd; i++, j++) y[i] += x[i] * env[j];
        }
    }

    /// <summary>Scalar reference of <see cref="MultiplyAccumulateTwoExponentials"/> (tests only).</summary>
    internal static void MultiplyAccumulateTwoExponentialsReference(ReadOnlySpan<float> x, Span<float> y, int n0, double c1, double d1, double c2, double d2)
    {
        for (int i = 0; i < x.Length; i++) y[i] += (float)(x[i] * (c1 * Math.Exp(-d1 * (n0 + i)) + c2 * Math.Exp(-d2 * (n0 + i))));
    }

    /// <summary>
    /// <c>y[n] += a · e^(−λn) · sin(ωn)</c> for n in [0, y.Length), via the complex recurrence z[n+W] = z[n]·ρ^W with
    /// ρ = e^(−λ+iω), W = <see cref="Vector{T}.Count"/> lanes; exact re-seeding every <see cref="ReseedBlock"/> samples.
    /// </summary>
    internal static void AccumulateDampedSine(Span<float> y, float a, double lambda, double omega)
    {
        int W = Vector<float>.Count;
        Span<float> re0 = stackalloc float[W];
        Span<float> im0 = stackalloc float[W];
        double stepMag = Math.Exp(-lambda * W);
        var stepRe = new Vector<float>((float)(stepMag * Math.Cos(omega * W)));
        var stepIm = new Vector<float>((float)(stepMag * Math.Sin(omega * W)));
        for (int block = 0; block < y.Length; block += ReseedBlock)
        {
            int blockEnd = Math.Min(y.Length, block + ReseedBlock);
            for (int j = 0; j < W; j++)
            {
                double nn = block + j;
                double m = a * Math.Exp(-lambda * nn);
                re0[j] = (float)(m * Math.Cos(omega * nn));
                im0[j] = (float)(m * Math.Sin(omega * nn));
            }
            var re = new Vector<float>(re0);
            var im = new Vector<float>(im0);
            int i = block;
            var ys = MemoryMarshal.Cast<float, Vector<float>>(y.Slice(block, (blockEnd - block) / W * W));
            for (int v = 0; v < ys.Length; v++)
            {
                ys[v] += im;
                var nr = re * stepRe - im * stepIm;
                im = re * stepIm + im * stepRe;
                re = nr;
            }
            i += ys.Length * W;
            // Scalar tail (< W samples at the very end of the note).
            for (int j = 0; i < blockEnd; i++, j++) y[i] += im[j];
        }
    }

    /// <summary>
    /// Scalar reference of <see cref="AccumulateDampedSine"/>: <c>y[n] += a·e^(−λn)·sin(ωn)</c> with one exp and sin per sample (tests only).
    /// </summary>
    internal static void AccumulateDampedSineReference(Span<float> y, float a, double lambda, double omega)
    {
        for (int n = 0; n < y.Length; n++) y[n] += (float)(a * Math.Exp(-lambda * n) * Math.Sin(omega * n));
    }

    /// <summary>The soft limiter of <see cref="PianoSynthesizerOptions.LimiterThreshold"/>, in place.</summary>
    internal static void SoftLimit(Span<float> x, float threshold)
    {
        if (threshold >= 1f)
        {
            TensorPrimitives.Clamp(x, -1f, 1f, x);
            return;
        }
        float peak = TensorPrimitives.MaxMagnitude(x);
        if (!(peak > threshold)) return;
        float knee = 1f - threshold;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i], m = MathF.Abs(v);
            if (m > threshold)
            {
                float u = (m - threshold) / knee;
                x[i] = MathF.CopySign(threshold + knee * u / (1f + u), v);
            }
        }
    }
}
