using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Midi.Rendering;

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
/// decayed by 60 dB: <c>duration = max(t_off) + 6.91·τ_r</c>; a score longer than <see cref="RenderLength.Limit"/> (4 h) is a
/// <see cref="MidiFormatException"/>.
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
        if (score.Notes.Count > 0) RenderLength.Check(score, end + tail, fs);
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
        double amp = o.Gain * Math.Pow(n.Velocity / 127.0, o.VelocityExponent) * KeyLevel(o, n.Pitch);
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

    /// <summary>The key's level factor 10^(KeyLevelSpreadDb·u_p/20), u_p ~ U(−1, 1) from (KeyLevelSeed, p); 1 when the spread is 0.</summary>
    internal static double KeyLevel(PianoSynthesizerOptions o, int pitch)
    {
        if (o.KeyLevelSpreadDb <= 0) return 1;
        double u = 2 * new SplitMix64(SplitMix64.StreamState(o.KeyLevelSeed, "key-level", pitch)).NextDouble() - 1;
        return Math.Pow(10, o.KeyLevelSpreadDb * u / 20);
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
