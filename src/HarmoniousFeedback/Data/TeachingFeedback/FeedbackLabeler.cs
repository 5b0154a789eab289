using HarmoniousFeedback.Midi.Deviations;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// Labels by construction: scores, dominant issue, spans and emotional targets of a <see cref="StudentPerformance"/>,
/// computed from the planted changes only (played vs clean twin, <see cref="PerformedNote"/>; the natural variability
/// is in both and never counts). Constants are <see cref="FeedbackLabelRules"/> (defaults in brackets).
/// <para><b>Scope.</b> A time range of the student's audio. A written note belongs to it when its clean onset lies in it,
/// an extra note when its played onset does. Salience of a note: wᵢ = (vᵢ/127)·min(1, Dᵢ/τ_s) with the clean velocity,
/// the clean sounding (pedal-extended) duration D and τ_s = SalienceSeconds [0.25 s].</para>
/// <para><b>Errors and scores</b> (score = 1 − clamp((e − tol)/(full − tol), 0, 1)):</para>
/// <list type="bullet">
/// <item>pitch: e = (Σ_wrong wᵢkᵢ + Σ_extra wₓkₓ) / Σ_written wᵢ, k = 1 out of the scale, InKeyWeight [0.75] in it;
/// tol 0, full PitchFullError [0.3].</item>
/// <item>completeness: e = Σ_missed wᵢ / Σ_written wᵢ; tol 0, full CompletenessFullError [0.35].</item>
/// <item>rhythm: e = RMS of (played − clean onset) over played written notes; tol RhythmTolerance [10 ms], full
/// RhythmFullError [70 ms].</item>
/// <item>tempo: e = mean |ln λ| of the planted stretch over the scope; tol TempoTolerance [0.02], full TempoFullError
/// [ln 1.25].</item>
/// <item>dynamics: levels L(v) = DbPerVelocityDecade·log10(v/127) [36, the builtin synthesizer's curve]; level error
/// e_L = mean |L_p − L_c| (tol 1 dB, full 8 dB) and contrast error e_σ = |ln(σ(L_p)/σ(L_c))| (tol 0.1, full ln 4; 0 when
/// σ(L_c) &lt; MinContrastDb [1 dB] or fewer than 3 notes); the score is the lower of the two.</item>
/// <item>articulation: e = mean |ln(D_p/D_c)| of sounding durations clamped to [DurationFloor, DurationCap]
/// [0.03, 1 s]; tol 0.05, full ln 2.5.</item>
/// </list>
/// A scope without written notes scores 1 in every note-based dimension (pitch scores 0 if it holds extra notes).
/// <para><b>Clip labels.</b> Scores are computed for windows of WindowSeconds [3 s] every WindowHop [0.5 s] (the last
/// window ends at the clip's end; a clip shorter than a window is one window). The clip's score in a dimension is its
/// worst window's: a teacher's comment is about the weakest passage, and a local issue must not be diluted by a clean
/// remainder. The dominant issue is the lowest clip score's dimension when below DominantThreshold [0.7], else "none"
/// (ties: pitch, rhythm, tempo, dynamics, articulation, completeness). Each planted deviation's severity is 1 − its
/// dimension's score over the deviation's own span.</para>
/// <para><b>Emotional targets</b> (whole clip): expressiveness X = min(1, σ(L_p)/σ(L_c)) (1 when σ(L_c) &lt; MinContrastDb);
/// tone = clamp(a₀ + ToneTempoWeight·ρ̄ + ToneLevelWeight·ΔL̄ − ToneArticulationWeight·ā, −1, 1) with ρ̄ = −mean ln λ
/// (faster &gt; 0), ΔL̄ = mean (L_p − L_c) dB, ā = mean ln(D_p/D_c) [1.5, 0.05 /dB, 0.3]; sentiment =
/// clamp(v₀·(0.5 + 0.5·X) − SentimentPitchWeight·(1 − s_pitch), −1, 1) [0.5]; engagement = clamp(0.5·X + 0.5·mean(s_rhythm,
/// s_tempo, s_completeness), 0, 1); a₀, v₀ the reference's intended arousal and valence.</para>
/// </summary>
public static class FeedbackLabeler
{
    /// <summary>The raw errors of <paramref name="scope"/> (see the type's remarks).</summary>
    public static FeedbackErrors Errors(StudentPerformance performance, TimeRange scope, FeedbackLabelRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(performance);
        rules ??= new FeedbackLabelRules();
        rules.Validate();
        return new Context(performance, rules).Errors(scope);
    }

    /// <summary>The six scores of <paramref name="scope"/>.</summary>
    public static FeedbackScores Scores(StudentPerformance performance, TimeRange scope, FeedbackLabelRules? rules = null)
    {
        rules ??= new FeedbackLabelRules();
        return ToScores(Errors(performance, scope, rules), rules);
    }

    /// <summary>The scoring windows of a clip of <paramref name="end"/> seconds (see the type's remarks).</summary>
    public static IReadOnlyList<TimeRange> Windows(double end, FeedbackLabelRules? rules = null)
    {
        rules ??= new FeedbackLabelRules();
        rules.Validate();
        double w = rules.WindowSeconds;
        if (end <= w + 1e-9) return [new TimeRange(0, end)];
        var list = new List<TimeRange>();
        for (int k = 0; k * rules.WindowHop + w <= end + 1e-9; k++) list.Add(new TimeRange(k * rules.WindowHop, k * rules.WindowHop + w));
        if (list[^1].End < end - 1e-9) list.Add(new TimeRange(end - w, end));
        return list;
    }

    /// <summary>All labels of a rendition whose reference intends valence <paramref name="intendedValence"/> and arousal <paramref name="intendedArousal"/>.</summary>
    public static RenditionLabels Label(StudentPerformance performance, double intendedValence, double intendedArousal, FeedbackLabelRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(performance);
        rules ??= new FeedbackLabelRules();
        rules.Validate();
        var ctx = new Context(performance, rules);
        var windows = Windows(performance.End, rules)
            .Select(w =>
            {
                var s = ToScores(ctx.Errors(w), rules);
                return new WindowLabels(w, s, s.DominantIssue(rules.DominantThreshold));
            })
            .ToArray();
        var clip = windows.Select(w => w.Scores).Aggregate(FeedbackScores.Perfect, (a, b) => a.Min(b));
        var deviations = performance.Deviations
            .Select(d => new LabelledDeviation(d, 1 - ToScores(ctx.Errors(d.Span), rules)[d.Dimension]))
            .ToArray();
        return new RenditionLabels(clip, clip.DominantIssue(rules.DominantThreshold), windows, deviations,
                                   ctx.Emotion(intendedValence, intendedArousal, clip));
    }

    internal static FeedbackScores ToScores(FeedbackErrors e, FeedbackLabelRules r)
    {
        static double S(double e, double tol, double full) => 1 - Math.Clamp((e - tol) / (full - tol), 0, 1);
        double dynamics = Math.Min(S(e.LevelErrorDb, r.LevelToleranceDb, r.LevelFullErrorDb), S(e.ContrastError, r.ContrastTolerance, r.ContrastFullError));
        return new FeedbackScores(
            S(e.Pitch, 0, r.PitchFullError),
            S(e.RhythmRmsSeconds, r.RhythmTolerance, r.RhythmFullError),
            S(e.TempoMeanAbsLogStretch, r.TempoTolerance, r.TempoFullError),
            dynamics,
            S(e.ArticulationError, r.ArticulationTolerance, r.ArticulationFullError),
            S(e.Completeness, 0, r.CompletenessFullError));
    }

    /// <summary>Per-note quantities computed once per performance.</summary>
    private sealed class Context
    {
        private readonly StudentPerformance _p;
        private readonly FeedbackLabelRules _r;
        private readonly double[] _salience, _cleanDur, _playedDur;

        public Context(StudentPerformance p, FeedbackLabelRules r)
        {
            _p = p;
            _r = r;
            var (clean, played) = p.SoundingOffsets();
            int n = p.Notes.Count;
            _salience = new double[n];
            _cleanDur = new double[n];
            _playedDur = new double[n];
            for (int i = 0; i < n; i++)
            {
                var note = p.Notes[i];
                double cd = note.IsExtra ? played[i] - note.Played.Onset : clean[i] - note.Clean.Onset;
                var basis = note.IsExtra ? note.Played : note.Clean;
                _salience[i] = basis.Velocity / 127.0 * Math.Min(1, Math.Max(0, cd) / r.SalienceSeconds);
                _cleanDur[i] = Math.Clamp(cd, r.DurationFloor, r.DurationCap);
                _playedDur[i] = note.Missed ? double.NaN : Math.Clamp(played[i] - note.Played.Onset, r.DurationFloor, r.DurationCap);
            }
        }

        private double Level(int velocity) => _r.DbPerVelocityDecade * Math.Log10(velocity / 127.0);

        public FeedbackErrors Errors(TimeRange scope)
        {
            double written = 0, wrong = 0, missed = 0, extra = 0, sq = 0, level = 0, artic = 0;
            int count = 0, played = 0;
            var lc = new List<double>();
            var lp = new List<double>();
            for (int i = 0; i < _p.Notes.Count; i++)
            {
                var n = _p.Notes[i];
                if (!scope.Contains(n.Anchor)) continue;
                double k = _p.Scale.Contains(n.Played.Pitch) ? _r.InKeyWeight : 1;
                if (n.IsExtra) { extra += _salience[i] * k; continue; }
                count++;
                written += _salience[i];
                if (n.Missed) { missed += _salience[i]; continue; }
                if (n.PitchChanged) wrong += _salience[i] * k;
                played++;
                double d = n.Played.Onset - n.Clean.Onset;
                sq += d * d;
                double a = Level(n.Clean.Velocity), b = Level(n.Played.Velocity);
                lc.Add(a);
                lp.Add(b);
                level += Math.Abs(b - a);
                artic += Math.Abs(Math.Log(_playedDur[i] / _cleanDur[i]));
            }
            double pitch = written > 0 ? (wrong + extra) / written : extra > 0 ? 1 : 0;
            double contrast = 0;
            if (lc.Count >= 3)
            {
                double sc = Std(lc), sp = Std(lp);
                if (sc >= _r.MinContrastDb) contrast = Math.Abs(Math.Log(Math.Max(sp, 1e-3) / sc));
            }
            return new FeedbackErrors(
                pitch,
                written > 0 ? missed / written : 0,
                played > 0 ? Math.Sqrt(sq / played) : 0,
                _p.PlantedTempo.MeanAbsLogStretch(scope),
                played > 0 ? level / played : 0,
                contrast,
                played > 0 ? artic / played : 0,
                count);
        }

        public EmotionTargets Emotion(double v0, double a0, FeedbackScores clip)
        {
            var lc = new List<double>();
            var lp = new List<double>();
            double logDur = 0;
            for (int i = 0; i < _p.Notes.Count; i++)
            {
                var n = _p.Notes[i];
                if (n.IsExtra || n.Missed) continue;
                lc.Add(Level(n.Clean.Velocity));
                lp.Add(Level(n.Played.Velocity));
                logDur += Math.Log(_playedDur[i] / _cleanDur[i]);
            }
            double x = 1, dl = 0, da = 0;
            if (lc.Count > 0)
            {
                double sc = Std(lc);
                if (lc.Count >= 3 && sc >= _r.MinContrastDb) x = Math.Min(1, Std(lp) / sc);
                dl = lp.Average() - lc.Average();
                da = logDur / lc.Count;
            }
            double rho = -_p.PlantedTempo.MeanLogStretch(_p.WholeClip);
            double tone = Math.Clamp(a0 + _r.ToneTempoWeight * rho + _r.ToneLevelWeight * dl - _r.ToneArticulationWeight * da, -1, 1);
            double sentiment = Math.Clamp(v0 * (0.5 + 0.5 * x) - _r.SentimentPitchWeight * (1 - clip.Pitch), -1, 1);
            double engagement = Math.Clamp(0.5 * x + 0.5 * (clip.Rhythm + clip.Tempo + clip.Completeness) / 3, 0, 1);
            return new EmotionTargets(v0, a0, x, tone, sentiment, engagement);
        }

        private static double Std(List<double> xs)
        {
            double m = xs.Average();
            return Math.Sqrt(xs.Sum(x => (x - m) * (x - m)) / xs.Count);
        }
    }
}
