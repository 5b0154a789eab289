using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Score-informed note comparison: reads every note of the score in the performance's semitone-band spectrogram at the
/// place the alignment puts it, and summarises what a teacher listening with the score would check — is each note
/// there (or a neighbour instead), are there notes the score does not have, when does each attack come, how loud is it
/// for its written velocity, when is it damped. Envelope comparisons with a rendered score (<see cref="ReferenceAlignment"/>'s
/// features) change with the instrument; these measures are relative to the recording itself (levels against
/// velocities, onsets against onsets, a note's damping against its own written length), and every one is also taken
/// on the score's rendering with the identity alignment so the score's own masking and the measure's bias cancel in the
/// difference (references: Ewert &amp; Müller 2012, score-informed source separation; Müller, <i>Fundamentals of Music
/// Processing</i> §3 — the semitone log-pitch representation and DTW score following; Dixon 2006 for onset detection).
/// <code>
///   P(t, p)  semitone-band dB spectrogram (<see cref="PitchSpectrogram"/>), t on the alignment's hop h
///   c_n      the note's onset o_n mapped into the performance: π(c_n) = o_n / h  (π the alignment's reference position)
///   R(t, p)  = P(t, p) − P(t − lag, p)                                                                  the attack
///   t̂_n     = argmax_{|t − c_n| ≤ search} R(t, p_n) (to a fraction of a frame by a parabola through the peak; when the
///              band rises by less than AttackRiseDb — masked by another note's partial — the 2nd and 3rd partials' rise
///              is used when larger); heard (present) ⇔ R(t̂_n, p_n) ≥ HeardRiseDb (1 dB) and P(t̂_n + 2, p_n) ≥
///              max(P(·, p_n ± 1)) − NeighbourMarginDb; replaced ⇔ not heard and max_{|q − p_n| ∈ {1, 2}} R ≥ HeardRiseDb (a
///              neighbour played: wrong note); a clear attack ⇔ heard and R(t̂_n, p_n) ≥ AttackRiseDb (6 dB): only clear
///              attacks are timed, levelled and followed to their damping (below)
///   played onset (t, q): R(t, q) ≥ OnsetRiseDb, a local maximum in t, P(t + 2, q) a spectral peak within OnsetRangeDb of
///              the frame's loudest and ≥ OnsetAboveRecentDb above the band's peak over the last RecentSeconds; unexplained
///              when no note n has |t − t̂_n| ≤ ExplainSeconds and q − p_n ∈ {0, 12, 19, 24} or within ±1 of {28, 31, 34, 36}
///              (its first 8 partials, the upper ones stretched by inharmonicity) and q is not more than 2 semitones below all
///              such notes (sampled pianos put a hammer's thump in the low bands at every attack); a slip when, besides, such
///              a note has |q − p_n| ∈ {1, 2} (a neighbouring key). Only bands where a semitone spans ≥ 1.5 FFT bins are
///              searched (≈ G3 and up at n_fft 2048, 16 kHz): below, a partial makes peaks in several bands
///   groups   the notes of one score onset; u_g = median t̂ of its heard notes: a global line u = a + b·o (ln b: tempo),
///            the two halves' slopes (drift), local lines over ±LocalFitSeconds (rushing/dragging) and the leave-one-out
///            residual of each group against its local line (jitter)
///   level    ℓ_n = max_{0 ≤ k ≤ 4} 10·log10 Σ_{h ∈ {0, 12, 19, 24}} 10^(P(t̂_n + k, p_n + h)/10) (the first four partials: a sampled
///            piano's velocity layers change the balance between them);  ℓ = α + β·ln v + γ·(p − 60)/12 by least squares: β (contrast),
///            the partial correlation of ℓ and ln v, the residual spread, and the largest |mean inside − mean outside|
///            of the residuals over windows of SuddenWindowSeconds (a sudden change)
///   damping  t_d = the first frame after the band's peak (within 60 ms of the attack) at which it is OffsetFallDb below
///            that peak, searched up to the note's next strike or its written end + DurationCap; D̂ = t_d − t̂ (undamped when
///            it never falls so far: D̂ = the searched length); a_n = ln(clamp(D̂)/clamp(D_n)), D_n the
///            written sounding length (pedal included) mapped into the performance, clamp to [DurationFloor, DurationCap];
///            the median and mean |a_n|, the shares below ln 0.6 and above ln 1.5, and the share never damped
///   local    C(x) = max_{s, W} [ Σ_{t_i ∈ [t_s, t_s + W)} w_i x_i / Σ w_i − Σ_{outside} w_i x_i / Σ w_i ]⁺ over windows starting
///            at each point, W ∈ SuddenWindowSeconds, ≥ 3 points inside and outside (0 otherwise): C of silent and of replaced
///            notes (weights w, at their aligned onsets), of slips among the played onsets, of each note group's |jitter
///            residual|, of −a_n and a_n (a shorter, a longer passage); pedal_duration_contrast = mean a_n over the notes the
///            pedal prolongs (PedalOffset − Offset ≥ 0.1 s) − mean a_n over the others (&lt; 0.02 s; ≥ 3 of each, else 0); paired:
///            C of the notes lost (heard in the rendering, not in the performance) and of ±(a_n − a_n^rendering)
/// </code>
/// The statistics (<see cref="FeatureNames"/>): 25 measures of the performance (salience-weighted fractions with
/// w = (v/127)·min(1, D/0.25 s) as the labelling rules weigh notes), the same 25 minus their value on the score's own
/// rendering, 8 paired comparisons note by note (levels and damping against the rendering's), then (version 8) 7 local
/// contrasts, the same 7 minus their value on the rendering and 3 paired local contrasts (<see cref="IsLocalMeasure"/>).
/// A measure that has too few notes to be taken (e.g. jitter with fewer than three note groups) is 0, never NaN.
/// </summary>
public sealed class ScoreInformedComparison
{
    private static readonly string[] Measures =
    [
        "heard_fraction", "replaced_fraction", "silent_fraction", "rise_median_db",
        "unexplained_fraction", "unexplained_per_note", "slips_per_note",
        "abs_log_tempo", "abs_tempo_drift", "local_tempo_max", "local_tempo_std",
        "jitter_rms", "jitter_mad", "jitter_over_30ms", "chord_spread",
        "velocity_slope", "velocity_correlation", "level_residual_std", "level_sudden",
        "duration_ratio_median", "duration_ratio_abs_mean", "short_fraction", "long_fraction", "undamped_fraction",
        "inside_fraction",
    ];

    private static readonly string[] Paired =
    [
        "level_vs_reference_slope", "level_vs_reference_std", "level_vs_reference_sudden",
        "duration_vs_reference_mean", "duration_vs_reference_abs_mean", "duration_vs_reference_median",
        "lost_fraction", "log_note_count",
    ];

    // v8: where in the recording — the largest contrast between a window and the rest, so a local problem is not
    // diluted by the clip's other notes, and relative to the recording itself, so an instrument's constant bias cancels
    private static readonly string[] Local =
    [
        "local_silent_max", "local_replaced_max", "local_slips_max", "local_jitter_max",
        "local_duration_short_max", "local_duration_long_max", "pedal_duration_contrast",
    ];

    private static readonly string[] LocalPaired =
    [
        "local_lost_max", "local_duration_vs_reference_short_max", "local_duration_vs_reference_long_max",
    ];

    private static readonly HashSet<string> LocalNames =
        [.. Local, .. Local.Select(m => m + "_vs_score"), .. LocalPaired];

    private static readonly int[] Harmonics = [0, 12, 19, 24, 28, 31, 34, 36];

    private readonly PitchSpectrogram _pitch;

    public ScoreInformedComparison(ScoreInformedOptions? options = null)
    {
        Options = options ?? new ScoreInformedOptions();
        Options.Validate();
        _pitch = new PitchSpectrogram(Options.Pitch);
    }

    public ScoreInformedOptions Options { get; }

    /// <summary>Bumped whenever the measures change (part of the feature-cache key).</summary>
    public const int Version = 9;   // 9: heard at a 1 dB rise (6 before), attacks read at 6 dB; 8: the local measures added after the others; every v7 measure unchanged

    /// <summary>
    /// The versions whose measures, where this version has them under the same name, are computed identically: a model
    /// trained on one of them reads the same values here (<c>NoteComparisonInput.FromMetadata</c> accepts it). Version 9
    /// hears notes at a smaller rise, which changes every presence measure: models of 7 and 8 must be retrained.
    /// </summary>
    public static IReadOnlyList<int> CompatibleVersions { get; } = [9];

    /// <summary>
    /// The names of <see cref="Compute(AudioClip, AudioClip, MidiScore, ReferenceAlignmentResult)"/>'s values, in order:
    /// 25 measures, the same 25 as "…_vs_score", 8 paired ones (v7's 58, at the same places), then 7 local measures, the
    /// same 7 as "…_vs_score" and 3 local paired ones (<see cref="IsLocalMeasure"/>).
    /// </summary>
    public static IReadOnlyList<string> FeatureNames { get; } =
        [.. Measures, .. Measures.Select(m => m + "_vs_score"), .. Paired, .. Local, .. Local.Select(m => m + "_vs_score"), .. LocalPaired];

    /// <summary>
    /// Whether a measure of <see cref="FeatureNames"/> is one of the local ones (version 8; <c>local_…</c>,
    /// <c>pedal_duration_contrast</c>). Each is the largest difference between the notes (or played onsets, or note
    /// groups) inside a window of <see cref="ScoreInformedOptions.SuddenWindowSeconds"/> and those outside it — a missed,
    /// wrong or jittered passage, a staccato or legato bar — or, for the pedal, between the notes the score's pedal
    /// prolongs and the others. Being contrasts within one recording, an instrument's constant bias (a sampled piano's
    /// extra onsets, a longer release) cancels in them, which the whole-clip duration and onset measures do not.
    /// </summary>
    public static bool IsLocalMeasure(string name) => LocalNames.Contains(name);

    /// <summary>
    /// Whether a measure of <see cref="FeatureNames"/> counts played onsets that no written note explains
    /// (<c>unexplained_fraction</c>, <c>unexplained_per_note</c> and their <c>_vs_score</c> differences). They depend on the
    /// instrument: a sampled piano's attacks and partials above the 8th make onsets in bands the note model does not
    /// explain — on clean FluidSynth renditions of EMOPIA excerpts they sit 7–15σ (of the clean builtin renditions' spread)
    /// above the builtin ones, more than planted wrong notes raise them on builtin (6–12σ), and on FluidSynth wrong notes
    /// move them by less than 1σ of its own spread (docs/feedback.md). The <c>score-notes</c> view's <c>"onsets": false</c>
    /// drops them; the slip measures (onsets a semitone or two from a written note) stay.
    /// </summary>
    public static bool IsOnsetMeasure(string name) => name.StartsWith("unexplained_", StringComparison.Ordinal);

    /// <summary>Whether a measure of <see cref="FeatureNames"/> is a note-duration measure (they depend on the instrument's damping: the <c>score-notes</c> view's <c>"durations": false</c> drops them).</summary>
    public static bool IsDurationMeasure(string name) =>
        name.StartsWith("duration_", StringComparison.Ordinal) || name.StartsWith("short_fraction", StringComparison.Ordinal)
        || name.StartsWith("long_fraction", StringComparison.Ordinal) || name.StartsWith("undamped_fraction", StringComparison.Ordinal);

    /// <summary>
    /// The statistics [<see cref="FeatureNames"/>.Count] of a performance against its score. <paramref name="reference"/> is the
    /// score rendered from time 0 (what <paramref name="alignment"/> aligned the performance to), <paramref name="alignment"/>
    /// its <see cref="ReferenceAlignment"/> result on the same hop as <see cref="ScoreInformedOptions.Pitch"/>.
    /// </summary>
    public float[] Compute(AudioClip performance, AudioClip reference, MidiScore score, ReferenceAlignmentResult alignment)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(alignment);
        return Compute(_pitch.Compute(performance), _pitch.Compute(reference), score, alignment);
    }

    /// <summary>The semitone-band spectrogram the notes are read from (<see cref="ScoreInformedOptions.Pitch"/>).</summary>
    public PitchSpectrogram Pitch => _pitch;

    /// <summary>
    /// As <see cref="Compute(AudioClip, AudioClip, MidiScore, ReferenceAlignmentResult)"/> from the two clips' pitch
    /// spectrograms computed by <see cref="Pitch"/> (e.g. the reference's cut from its whole rendering by
    /// <see cref="PitchSpectrogram.Excerpt"/>).
    /// </summary>
    /// <exception cref="InvalidSignalException">A matrix that is not of <see cref="Pitch"/>'s bands, or an alignment with another number of frames.</exception>
    public float[] Compute(FeatureMatrix performancePitch, FeatureMatrix referencePitch, MidiScore score, ReferenceAlignmentResult alignment)
        => Evaluate(performancePitch, referencePitch, score, alignment, null);

    /// <summary>
    /// <see cref="Compute(FeatureMatrix, FeatureMatrix, MidiScore, ReferenceAlignmentResult)"/>'s values and where the local
    /// measures found their contrast (<see cref="LocalContrast"/>): for each local measure of the performance with a value
    /// above 0, the window that gave it, and the windows of <c>level_sudden</c>, <c>level_vs_reference_sudden</c> and
    /// <c>local_tempo_max</c>. The values are those <see cref="Compute(FeatureMatrix, FeatureMatrix, MidiScore, ReferenceAlignmentResult)"/> returns.
    /// </summary>
    /// <exception cref="InvalidSignalException">As <see cref="Compute(FeatureMatrix, FeatureMatrix, MidiScore, ReferenceAlignmentResult)"/>.</exception>
    public (float[] Values, IReadOnlyList<LocalContrast> Windows) Compare(FeatureMatrix performancePitch, FeatureMatrix referencePitch, MidiScore score, ReferenceAlignmentResult alignment)
    {
        var windows = new List<LocalContrast>();
        var values = Evaluate(performancePitch, referencePitch, score, alignment, windows);
        return (values, windows);
    }

    private float[] Evaluate(FeatureMatrix performancePitch, FeatureMatrix referencePitch, MidiScore score, ReferenceAlignmentResult alignment, List<LocalContrast>? windows)
    {
        ArgumentNullException.ThrowIfNull(performancePitch);
        ArgumentNullException.ThrowIfNull(referencePitch);
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(alignment);
        var (ps, pr) = (performancePitch, referencePitch);
        if (ps.Columns != Options.Pitch.Pitches || pr.Columns != Options.Pitch.Pitches)
            throw new InvalidSignalException(
                $"{nameof(ScoreInformedComparison)}: pitch spectrograms of {ps.Columns} and {pr.Columns} bands; the comparison reads {Options.Pitch.Pitches} (MIDI {Options.Pitch.MinPitch}–{Options.Pitch.MaxPitch})");
        if (alignment.ReferencePosition.Length != ps.Rows)
            throw new InvalidSignalException(
                $"{nameof(ScoreInformedComparison)}: the alignment has {alignment.ReferencePosition.Length} performance frames but the pitch spectrogram {ps.Rows}: give both the same hop ({Options.Pitch.Stft.HopLength}) and sample rate");
        double hop = (double)Options.Pitch.Stft.HopLength / Options.Pitch.Stft.SampleRate;
        var notes = score.Notes.OrderBy(n => n.Onset).ThenBy(n => n.Pitch).ToArray();
        var pos = alignment.ReferencePosition;
        var s = Measure(ps, notes, x => PerformanceFrame(pos, x / hop));
        var r = Measure(pr, notes, x => x / hop);
        var values = new float[FeatureNames.Count];
        var located = windows is null ? null : new List<Located>();
        var ms = Summarise(s, notes, located);
        var mr = Summarise(r, notes, null);
        for (int k = 0; k < Measures.Length; k++)
        {
            values[k] = (float)ms[k];
            values[Measures.Length + k] = (float)(ms[k] - mr[k]);
        }
        var pp = Pair(s, r, notes, located);
        for (int k = 0; k < Paired.Length; k++) values[2 * Measures.Length + k] = (float)pp[k];
        int at = 2 * Measures.Length + Paired.Length;
        for (int k = 0; k < Local.Length; k++)
        {
            values[at + k] = (float)ms[Measures.Length + k];
            values[at + Local.Length + k] = (float)(ms[Measures.Length + k] - mr[Measures.Length + k]);
        }
        for (int k = 0; k < LocalPaired.Length; k++) values[at + 2 * Local.Length + k] = (float)pp[Paired.Length + k];
        for (int k = 0; k < values.Length; k++) if (!float.IsFinite(values[k])) values[k] = 0;
        if (windows is not null)
            foreach (var w in located!)
            {
                if (!(w.Window.Value > 0) || !double.IsFinite(w.Window.Value)) continue;
                int i = Array.IndexOf(Measures, w.Measure), j = Array.IndexOf(Local, w.Measure);
                double onScore = i >= 0 ? mr[i] : j >= 0 ? mr[Measures.Length + j] : 0;
                windows.Add(new LocalContrast(w.Measure, w.Window.Start, w.Window.End, w.Window.Value, double.IsFinite(onScore) ? onScore : 0));
            }
        return values;
    }

    /// <summary>The performance frame (fractional) whose reference position π reaches <paramref name="referenceFrame"/>; slope 1 beyond the ends.</summary>
    internal static double PerformanceFrame(double[] pi, double referenceFrame)
    {
        int n = pi.Length;
        if (n == 0) return double.NaN;
        if (referenceFrame <= pi[0]) return referenceFrame - pi[0];
        if (referenceFrame > pi[n - 1]) return n - 1 + (referenceFrame - pi[n - 1]);
        int lo = 0, hi = n - 1;                       // first i with π(i) ≥ x (π is non-decreasing)
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (pi[mid] >= referenceFrame) hi = mid; else lo = mid + 1;
        }
        if (lo == 0) return 0;
        double a = pi[lo - 1], b = pi[lo];
        return b > a ? lo - 1 + (referenceFrame - a) / (b - a) : lo;
    }

    private struct NoteReading
    {
        public bool Inside, Heard, Clear, Replaced, Undamped;
        public double Centre, Attack, Rise, Level, Expected, Observed, Weight;
    }

    private sealed record Side(NoteReading[] Notes, List<(int Frame, int Pitch)> Onsets, int Frames);

    private Side Measure(FeatureMatrix p, MidiNote[] notes, Func<double, double> frameOf)
    {
        var o = Options;
        double hop = (double)o.Pitch.Stft.HopLength / o.Pitch.Stft.SampleRate;
        int lag = Math.Max(1, (int)Math.Round(o.RiseLagSeconds / hop));
        int search = Math.Max(1, (int)Math.Round(o.OnsetSearchSeconds / hop));
        int capFrames = (int)Math.Ceiling(o.DurationCap / hop);
        int lookback = Math.Max(lag, (int)Math.Round(o.RecentSeconds / hop));
        int T = p.Rows, P = p.Columns, lo = o.Pitch.MinPitch;
        var d = p.Data;
        float Rise(int t, int j) => t - lag < 0 ? d[t * P + j] - d[j] : d[t * P + j] - d[(t - lag) * P + j];
        var readings = new NoteReading[notes.Length];
        var mapped = new double[notes.Length];
        for (int n = 0; n < notes.Length; n++) mapped[n] = frameOf(notes[n].Onset);
        var nextStrike = NextStrikes(notes);
        for (int n = 0; n < notes.Length; n++)
        {
            var note = notes[n];
            ref var x = ref readings[n];
            x.Weight = note.Velocity / 127.0 * Math.Min(1, Math.Max(0, note.SoundingDuration) / 0.25);
            double c = mapped[n];
            int j = note.Pitch - lo;
            x.Centre = c;
            if (!(c >= 0 && c <= T - 1) || j < 0 || j >= P) continue;
            x.Inside = true;
            int ci = (int)Math.Round(c), a = Math.Max(0, ci - search), b = Math.Min(T - 1, ci + search);
            int best = ci; float rise = float.NegativeInfinity;
            for (int t = a; t <= b; t++) { float v = Rise(t, j); if (v > rise) { rise = v; best = t; } }
            if (rise < o.AttackRiseDb && j + 19 < P)
            {   // the note's own band masked (by another note's partial): its 2nd and 3rd partials both rising also count
                for (int t = a; t <= b; t++)
                {
                    float v = MathF.Min(Rise(t, j + 12), Rise(t, j + 19));
                    if (v > rise) { rise = v; best = t; }
                }
            }
            x.Attack = best;
            if (best > a && best < b)
            {   // the attack to a fraction of a frame: the vertex of the parabola through the rises around the peak
                float r0 = Rise(best - 1, j), r2 = Rise(best + 1, j), den = r0 - 2 * rise + r2;
                if (den < 0) x.Attack = best + Math.Clamp(0.5 * (r0 - r2) / den, -0.5, 0.5);
            }
            x.Rise = rise;
            int tp = Math.Min(T - 1, best + 2);    // heard: the attack, and the band a spectral peak (not a neighbour's leakage)
            float own = d[tp * P + j], left = j > 0 ? d[tp * P + j - 1] : float.NegativeInfinity, right = j < P - 1 ? d[tp * P + j + 1] : float.NegativeInfinity;
            x.Heard = rise >= o.HeardRiseDb && own >= MathF.Max(left, right) - o.NeighbourMarginDb;
            x.Clear = x.Heard && rise >= o.AttackRiseDb;
            if (!x.Heard)
            {
                float nb = float.NegativeInfinity;
                foreach (int dq in (ReadOnlySpan<int>)[-2, -1, 1, 2])
                {
                    int q = j + dq;
                    if (q < 0 || q >= P) continue;
                    for (int t = a; t <= b; t++) nb = MathF.Max(nb, Rise(t, q));
                }
                x.Replaced = nb >= o.HeardRiseDb;
                continue;
            }
            double level = double.NegativeInfinity;      // the attack's level over the note's first four partials' bands
            for (int t = best; t <= Math.Min(T - 1, best + 4); t++)
            {
                double e = 0;
                foreach (int h in (ReadOnlySpan<int>)[0, 12, 19, 24])
                    if (j + h < P) e += Math.Pow(10, d[t * P + j + h] / 10.0);
                level = Math.Max(level, 10 * Math.Log10(e));
            }
            x.Level = level;
            // damping: when the band has fallen OffsetFallDb below its peak after the attack, before the note's next strike
            double end = frameOf(note.PedalOffset);
            int limit = (int)Math.Min(T - 1, Math.Min(end + capFrames, best + 2 * capFrames));
            if (nextStrike[n] >= 0) limit = Math.Min(limit, (int)Math.Floor(mapped[nextStrike[n]]) - 2);
            x.Expected = Math.Clamp((end - c) * hop, o.DurationFloor, o.DurationCap);
            int peakAt = best;
            for (int t = best; t <= Math.Min(T - 1, best + 6); t++) if (d[t * P + j] > d[peakAt * P + j]) peakAt = t;
            if (limit <= peakAt) { x.Observed = x.Expected; continue; }
            float floor = d[peakAt * P + j] - (float)o.OffsetFallDb;
            int off = -1;
            for (int t = peakAt + 1; t <= limit; t++) if (d[t * P + j] < floor) { off = t; break; }
            x.Undamped = off < 0;
            x.Observed = Math.Clamp(((x.Undamped ? limit : off) - x.Attack) * hop, o.DurationFloor, o.DurationCap);
        }
        // played onsets: attacks in spectral-peak bands near the frame's loudest
        var onsets = new List<(int, int)>();
        // a band is searched only where a semitone spans ≥ 1.5 FFT bins (f·(2^(1/12) − 1) ≥ 1.5·sr/n_fft): below, neighbouring
        // bands share their bins and a partial's energy makes peaks in several of them
        double binHz = (double)o.Pitch.Stft.SampleRate / o.Pitch.Stft.NFft;
        int minOnsetBand = Math.Max(0, (int)Math.Ceiling(69 + o.Pitch.Tuning + 12 * Math.Log2(1.5 * binHz / (Math.Pow(2, 1 / 12.0) - 1) / 440)) - lo);
        for (int t = 1; t < T - 3; t++)
        {
            int tp = t + 2;
            float frameMax = float.NegativeInfinity;
            for (int j = 0; j < P; j++) frameMax = MathF.Max(frameMax, d[tp * P + j]);
            for (int j = minOnsetBand; j < P; j++)
            {
                float r0 = Rise(t, j);
                if (r0 < o.OnsetRiseDb || r0 < Rise(t - 1, j) || r0 < Rise(t + 1, j)) continue;
                float e = d[tp * P + j];
                if (e < frameMax - o.OnsetRangeDb) continue;
                float before = float.NegativeInfinity;      // new energy, not a sustained tone's beating: above the band's recent peak
                for (int u = Math.Max(0, t - lookback); u <= t - lag; u++) before = MathF.Max(before, d[u * P + j]);
                if (e < before + o.OnsetAboveRecentDb) continue;
                if ((j > 0 && d[tp * P + j - 1] > e) || (j < P - 1 && d[tp * P + j + 1] > e)) continue;
                onsets.Add((t, j + lo));
            }
        }
        return new Side(readings, onsets, T);
    }

    private double[] Summarise(Side side, MidiNote[] notes, List<Located>? located)
    {
        var o = Options;
        double hop = (double)o.Pitch.Stft.HopLength / o.Pitch.Stft.SampleRate;
        var r = side.Notes;
        var v = new double[Measures.Length + Local.Length];
        double wIn = 0, wHeard = 0, wRep = 0, wSilent = 0;
        int inside = 0;
        var rises = new List<double>();
        var silentAt = new List<(double, double, double)>();
        var replacedAt = new List<(double, double, double)>();
        for (int n = 0; n < r.Length; n++)
        {
            if (!r[n].Inside) continue;
            inside++;
            wIn += r[n].Weight;
            if (r[n].Heard) { wHeard += r[n].Weight; rises.Add(r[n].Rise); }
            else if (r[n].Replaced) wRep += r[n].Weight;
            else wSilent += r[n].Weight;
            silentAt.Add((r[n].Centre * hop, !r[n].Heard && !r[n].Replaced ? 1 : 0, r[n].Weight));
            replacedAt.Add((r[n].Centre * hop, r[n].Replaced ? 1 : 0, r[n].Weight));
        }
        if (wIn > 0) { v[0] = wHeard / wIn; v[1] = wRep / wIn; v[2] = wSilent / wIn; }
        v[3] = Median(rises);
        // played onsets that no note explains
        int explainTol = (int)Math.Round(o.ExplainSeconds / hop), unexplained = 0, slips = 0;
        // an attack lies within ±(search + 1) frames of its note's centre, and centres rise with the onsets: only the notes
        // whose centre is within explainTol + search + 1 of t can explain it (the scan is O(onsets · notes nearby))
        int reach = explainTol + Math.Max(1, (int)Math.Round(o.OnsetSearchSeconds / hop)) + 1;
        var centres = r.Select(x => x.Centre).ToArray();
        var slipsAt = new List<(double, double, double)>(side.Onsets.Count);
        foreach (var (t, q) in side.Onsets)
        {
            bool ok = false, neighbour = false;
            int lowest = int.MaxValue;
            for (int n = LowerBound(centres, t - reach); n < r.Length && centres[n] <= t + reach && !ok; n++)
            {
                if (!r[n].Inside) continue;
                double at = r[n].Clear ? r[n].Attack : r[n].Centre;
                if (Math.Abs(t - at) > explainTol) continue;
                int dq = q - notes[n].Pitch;
                lowest = Math.Min(lowest, notes[n].Pitch);
                foreach (int h in Harmonics) if (dq == h || (h >= 28 && Math.Abs(dq - h) == 1)) { ok = true; break; }   // partials ≥ 5 stretched by inharmonicity
                if (dq is >= -2 and <= 2 and not 0) neighbour = true;
            }
            bool explained = ok || (lowest != int.MaxValue && q < lowest - 2);   // below the written notes: an attack's thump, not a note
            slipsAt.Add((t * hop, !explained && neighbour ? 1 : 0, 1));
            if (explained) continue;
            unexplained++;
            if (neighbour) slips++;
        }
        if (side.Onsets.Count > 0) v[4] = (double)unexplained / side.Onsets.Count;
        v[5] = (double)unexplained / Math.Max(1, inside);
        v[6] = (double)slips / Math.Max(1, inside);
        // timing: one point per score onset (its heard notes' median attack)
        var groups = new List<(double Score, double Played, double Spread)>();
        for (int n = 0; n < r.Length;)
        {
            int m = n;
            var attacks = new List<double>();
            while (m < r.Length && notes[m].Onset - notes[n].Onset < 0.02)
            {
                if (r[m].Inside && r[m].Clear) attacks.Add(r[m].Attack * hop);
                m++;
            }
            if (attacks.Count > 0) groups.Add((notes[n].Onset, Median(attacks), attacks.Count > 1 ? Std(attacks) : double.NaN));
            n = m;
        }
        var jitterAt = new List<(double, double, double)>();
        Timing(groups, v, jitterAt, located);
        // levels against written velocities and register
        var lv = new List<(double Time, double Level, double LogVelocity, double Register)>();
        for (int n = 0; n < r.Length; n++)
            if (r[n].Inside && r[n].Clear) lv.Add((r[n].Attack * hop, r[n].Level, Math.Log(Math.Max(1, notes[n].Velocity)), (notes[n].Pitch - 60) / 12.0));
        Dynamics(lv, v, located);
        // damping against written lengths
        var ratios = new List<double>();
        var durationAt = new List<(double, double, double)>();
        var pedalled = new List<double>();
        var unpedalled = new List<double>();
        int undamped = 0, measured = 0;
        for (int n = 0; n < r.Length; n++)
        {
            if (!r[n].Inside || !r[n].Clear || r[n].Observed <= 0) continue;
            measured++;
            if (r[n].Undamped) undamped++;
            double ratio = Math.Log(r[n].Observed / r[n].Expected);
            ratios.Add(ratio);
            durationAt.Add((r[n].Attack * hop, ratio, 1));
            double prolonged = notes[n].PedalOffset - notes[n].Offset;
            if (prolonged >= PedalProlongSeconds) pedalled.Add(ratio);
            else if (prolonged < PedalProlongSeconds / 5) unpedalled.Add(ratio);
        }
        v[19] = Median(ratios);
        v[20] = ratios.Count == 0 ? 0 : ratios.Average(Math.Abs);
        v[21] = ratios.Count == 0 ? 0 : ratios.Count(a => a < Math.Log(0.6)) / (double)ratios.Count;
        v[22] = ratios.Count == 0 ? 0 : ratios.Count(a => a > Math.Log(1.5)) / (double)ratios.Count;
        v[23] = measured == 0 ? 0 : (double)undamped / measured;
        v[24] = r.Length == 0 ? 0 : (double)inside / r.Length;
        int l = Measures.Length;
        v[l] = Note(located, Local[0], Contrasts(silentAt).Up);
        v[l + 1] = Note(located, Local[1], Contrasts(replacedAt).Up);
        v[l + 2] = Note(located, Local[2], Contrasts(slipsAt).Up);
        v[l + 3] = Note(located, Local[3], Contrasts(jitterAt).Up);
        var (longer, shorter) = Contrasts(durationAt);        // a longer passage, a shorter one
        v[l + 4] = Note(located, Local[4], shorter);
        v[l + 5] = Note(located, Local[5], longer);
        v[l + 6] = pedalled.Count >= 3 && unpedalled.Count >= 3 ? pedalled.Average() - unpedalled.Average() : 0;
        return v;
    }

    /// <summary>A note counts as prolonged by the pedal when it sounds at least this long after its key's release.</summary>
    private const double PedalProlongSeconds = 0.1;

    /// <summary>
    /// The local contrasts of points (time s, value x, weight w &gt; 0): over the windows [t_s, t_s + W) starting at each
    /// point, W each of <see cref="ScoreInformedOptions.SuddenWindowSeconds"/>, with at least 3 points inside and outside,
    /// d = Σ_in w·x / Σ_in w − Σ_out w·x / Σ_out w; Up = max d, Down = max −d, each 0 when no window has that many and never
    /// below 0. Points sorted by time and prefix sums: a window is a contiguous run (O(n log n), not O(n²)).
    /// </summary>
    private (Window Up, Window Down) Contrasts(List<(double Time, double Value, double Weight)> points)
    {
        int n = points.Count;
        if (n < 6) return (default, default);
        var p = points.OrderBy(x => x.Time).ToArray();
        var t = new double[n];
        var sw = new double[n + 1];
        var swx = new double[n + 1];
        for (int i = 0; i < n; i++)
        {
            t[i] = p[i].Time;
            sw[i + 1] = sw[i] + p[i].Weight;
            swx[i + 1] = swx[i] + p[i].Weight * p[i].Value;
        }
        Window up = default, down = default;
        foreach (double w in Options.SuddenWindowSeconds)
            for (int s = 0, end = 0; s < n; s++)
            {
                int first = LowerBound(t, t[s]);     // ties: every point at time_s is inside
                end = Math.Max(end, first);
                while (end < n && t[end] < t[s] + w) end++;
                if (end - first < 3 || n - (end - first) < 3) continue;
                double wi = sw[end] - sw[first], wo = sw[n] - wi;
                if (wi <= 0 || wo <= 0) continue;
                double xi = swx[end] - swx[first], xo = swx[n] - xi, d = xi / wi - xo / wo;
                if (d > up.Value) up = new Window(d, t[first], t[end - 1]);
                if (-d > down.Value) down = new Window(-d, t[first], t[end - 1]);
            }
        return (up, down);
    }

    /// <summary>A contrast's value and the first and last point (s) of the window that gave it (all 0: no window).</summary>
    private readonly record struct Window(double Value, double Start, double End);

    /// <summary>A window a measure found, by the measure's name.</summary>
    private readonly record struct Located(string Measure, Window Window);

    /// <summary>Records <paramref name="w"/> as <paramref name="measure"/>'s window (when <paramref name="located"/> is kept) and returns its value.</summary>
    private static double Note(List<Located>? located, string measure, Window w)
    {
        located?.Add(new Located(measure, w));
        return w.Value;
    }

    private void Timing(List<(double Score, double Played, double Spread)> g, double[] v, List<(double, double, double)> jitterAt, List<Located>? located)
    {
        var spreads = g.Where(x => !double.IsNaN(x.Spread)).Select(x => x.Spread).ToList();
        v[14] = spreads.Count == 0 ? 0 : spreads.Average();
        if (g.Count < 3) return;
        var (_, b) = Line(g.Select(x => x.Score).ToArray(), g.Select(x => x.Played).ToArray());
        if (b <= 0) return;
        v[7] = Math.Abs(Math.Log(b));
        int h = g.Count / 2;
        if (h >= 3 && g.Count - h >= 3)
        {
            var (_, b1) = Line(g.Take(h).Select(x => x.Score).ToArray(), g.Take(h).Select(x => x.Played).ToArray());
            var (_, b2) = Line(g.Skip(h).Select(x => x.Score).ToArray(), g.Skip(h).Select(x => x.Played).ToArray());
            if (b1 > 0 && b2 > 0) v[8] = Math.Min(2, Math.Abs(Math.Log(b2 / b1)));
        }
        var local = new List<double>();
        var residuals = new List<double>();
        Window steepest = default;                  // where the local tempo departs most from the clip's
        int from = 0, to = 0;                       // the groups within ±LocalFitSeconds of group k (scores ascend)
        for (int k = 0; k < g.Count; k++)
        {
            while (g[k].Score - g[from].Score > Options.LocalFitSeconds) from++;
            while (to < g.Count && g[to].Score - g[k].Score <= Options.LocalFitSeconds) to++;
            var near = Enumerable.Range(from, to - from).ToArray();
            if (near.Length >= 3)
            {
                var (_, bl) = Line(near.Select(i => g[i].Score).ToArray(), near.Select(i => g[i].Played).ToArray());
                if (bl > 0)
                {
                    local.Add(Math.Clamp(Math.Log(bl / b), -2, 2));
                    if (Math.Abs(local[^1]) > steepest.Value) steepest = new Window(Math.Abs(local[^1]), g[from].Played, g[to - 1].Played);
                }
            }
            var others = near.Where(i => i != k).ToArray();
            if (others.Length >= 2)
            {
                var (al, bo) = Line(others.Select(i => g[i].Score).ToArray(), others.Select(i => g[i].Played).ToArray());
                residuals.Add(Math.Clamp(g[k].Played - (al + bo * g[k].Score), -0.15, 0.15));
                jitterAt.Add((g[k].Played, Math.Abs(residuals[^1]), 1));
            }
        }
        if (local.Count > 0) { v[9] = Note(located, "local_tempo_max", steepest); v[10] = Std(local); }
        if (residuals.Count > 0)
        {
            v[11] = Math.Sqrt(residuals.Average(x => x * x));
            double med = Median(residuals);
            v[12] = 1.4826 * Median(residuals.Select(x => Math.Abs(x - med)).ToList());
            v[13] = residuals.Count(x => Math.Abs(x) > 0.03) / (double)residuals.Count;
        }
    }

    private void Dynamics(List<(double Time, double Level, double LogVelocity, double Register)> lv, double[] v, List<Located>? located)
    {
        if (lv.Count < 4) return;
        int n = lv.Count;
        // least squares ℓ = α + β ln v + γ register, by the normal equations of the centred variables
        double ml = lv.Average(x => x.Level), mv = lv.Average(x => x.LogVelocity), mr = lv.Average(x => x.Register);
        double svv = 0, srr = 0, svr = 0, slv = 0, slr = 0, sll = 0;
        foreach (var x in lv)
        {
            double l = x.Level - ml, a = x.LogVelocity - mv, g = x.Register - mr;
            svv += a * a; srr += g * g; svr += a * g; slv += l * a; slr += l * g; sll += l * l;
        }
        double det = svv * srr - svr * svr;
        double beta, gamma;
        if (det > 1e-9 * Math.Max(1, svv * srr)) { beta = (slv * srr - slr * svr) / det; gamma = (svv * slr - svr * slv) / det; }
        else if (srr > 1e-12) { beta = 0; gamma = slr / srr; }
        else { beta = svv > 1e-12 ? slv / svv : 0; gamma = 0; }
        var res = lv.Select(x => x.Level - ml - beta * (x.LogVelocity - mv) - gamma * (x.Register - mr)).ToArray();
        v[15] = svv > 1e-6 ? Math.Clamp(beta, -200, 200) : 0;
        // partial correlation of level and ln v with the register removed
        double lr = srr > 1e-12 ? slr / srr : 0, vr = srr > 1e-12 ? svr / srr : 0;
        double a2 = 0, b2 = 0, ab = 0;
        foreach (var x in lv)
        {
            double l = x.Level - ml - lr * (x.Register - mr), a = x.LogVelocity - mv - vr * (x.Register - mr);
            a2 += l * l; b2 += a * a; ab += l * a;
        }
        v[16] = a2 > 1e-12 && b2 > 1e-12 ? ab / Math.Sqrt(a2 * b2) : 0;
        v[17] = Std(res);
        v[18] = Note(located, "level_sudden", Sudden(lv.Select(x => x.Time).ToArray(), res));
    }

    /// <summary>Largest |mean inside − mean outside| over windows starting at each point, ≥ 3 points on each side (<see cref="Contrasts"/> with unit weights).</summary>
    private Window Sudden(double[] time, double[] value)
    {
        var (up, down) = Contrasts([.. time.Zip(value, (t, x) => (t, x, 1.0))]);
        return down.Value > up.Value ? down : up;
    }

    /// <summary>The first index i with <paramref name="sorted"/>[i] ≥ <paramref name="x"/> (the length when none).</summary>
    private static int LowerBound(double[] sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (sorted[mid] < x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>For each note (sorted by onset) the index of the next note of its pitch with a later onset, −1 when none.</summary>
    private static int[] NextStrikes(MidiNote[] notes)
    {
        var next = new int[notes.Length];
        var last = new Dictionary<int, int>();
        for (int n = notes.Length - 1; n >= 0; n--)
        {
            int p = notes[n].Pitch;
            if (!last.TryGetValue(p, out int m)) next[n] = -1;
            else next[n] = notes[m].Onset > notes[n].Onset ? m : next[m];
            last[p] = n;
        }
        return next;
    }

    private double[] Pair(Side s, Side r, MidiNote[] notes, List<Located>? located)
    {
        var v = new double[Paired.Length + LocalPaired.Length];
        var ls = new List<double>(); var lr = new List<double>(); var times = new List<double>();
        var dd = new List<double>();
        var lostAt = new List<(double, double, double)>();
        var ddAt = new List<(double, double, double)>();
        double wLost = 0, wRef = 0;
        double hop = (double)Options.Pitch.Stft.HopLength / Options.Pitch.Stft.SampleRate;
        for (int n = 0; n < notes.Length; n++)
        {
            var a = s.Notes[n]; var b = r.Notes[n];
            if (!a.Inside || !b.Inside || !b.Heard) continue;
            wRef += b.Weight;
            lostAt.Add((a.Centre * hop, a.Heard ? 0 : 1, b.Weight));
            if (!a.Heard) { wLost += b.Weight; continue; }
            if (!a.Clear || !b.Clear) continue;     // levels and damping read clear attacks only
            ls.Add(a.Level); lr.Add(b.Level); times.Add(a.Attack * hop);
            if (a.Observed > 0 && b.Observed > 0)
            {
                dd.Add(Math.Log(a.Observed / a.Expected) - Math.Log(b.Observed / b.Expected));
                ddAt.Add((a.Attack * hop, dd[^1], 1));
            }
        }
        if (ls.Count >= 4)
        {
            var (_, slope) = Line(lr.ToArray(), ls.ToArray());
            v[0] = Math.Clamp(slope, -5, 5);
            var delta = ls.Zip(lr, (x, y) => x - y).ToArray();
            v[1] = Std(delta);
            v[2] = Note(located, "level_vs_reference_sudden", Sudden(times.ToArray(), delta));
        }
        if (dd.Count > 0) { v[3] = dd.Average(); v[4] = dd.Average(Math.Abs); v[5] = Median(dd); }
        v[6] = wRef > 0 ? wLost / wRef : 0;
        v[7] = Math.Log(1 + notes.Length);
        v[Paired.Length] = Note(located, LocalPaired[0], Contrasts(lostAt).Up);
        var (longer, shorter) = Contrasts(ddAt);
        v[Paired.Length + 1] = Note(located, LocalPaired[1], shorter);
        v[Paired.Length + 2] = Note(located, LocalPaired[2], longer);
        return v;
    }

    private static (double A, double B) Line(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxx = 0, sxy = 0;
        for (int i = 0; i < x.Length; i++) { sxx += (x[i] - mx) * (x[i] - mx); sxy += (x[i] - mx) * (y[i] - my); }
        double b = sxx > 1e-12 ? sxy / sxx : 0;
        return (my - b * mx, b);
    }

    private static double Median(IReadOnlyList<double> x)
    {
        if (x.Count == 0) return 0;
        var s = x.OrderBy(v => v).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    private static double Std(IReadOnlyList<double> x)
    {
        if (x.Count < 2) return 0;
        double m = x.Average();
        return Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / x.Count);
    }
}
