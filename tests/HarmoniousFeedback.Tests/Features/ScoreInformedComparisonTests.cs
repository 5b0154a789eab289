using HarmoniousFeedback.Features;
using HarmoniousFeedback.Midi;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public sealed class ScoreInformedComparisonTests
{
    private static readonly int[] Major = [0, 2, 4, 5, 7, 9, 11];

    /// <summary>A two-hand piece: a two-octave scale in the right hand over held bass notes, velocities rising and falling.</summary>
    private static MidiScore Piece(double step = 0.25, Func<int, double>? onsetShift = null, Func<int, int>? pitchShift = null,
                                   double durationFactor = 1, Func<int, int, int>? velocityOf = null)
    {
        var notes = new List<MidiNote>();
        for (int k = 0; k < 20; k++)
        {
            double on = 0.2 + k * step + (onsetShift?.Invoke(k) ?? 0);
            int pitch = 60 + 12 * (k / 7 % 2) + Major[k % 7] + (pitchShift?.Invoke(k) ?? 0);
            int vel = velocityOf?.Invoke(k, 60 + 3 * (k < 10 ? k : 20 - k)) ?? 60 + 3 * (k < 10 ? k : 20 - k);
            double off = on + 0.85 * step * durationFactor;
            notes.Add(new MidiNote(on, off, pitch, Math.Clamp(vel, 1, 127), 0, off));
        }
        for (int b = 0; b < 5; b++)
        {
            double on = 0.2 + b * 4 * step;
            notes.Add(new MidiNote(on, on + 3.5 * step, 43 + 2 * b, 55, 0, on + 3.5 * step));
        }
        return new MidiScore { Notes = notes.OrderBy(n => n.Onset).ToArray(), Tempos = [], TimeSignatures = [], Controls = [] };
    }

    private static Dictionary<string, float> Compare(MidiScore played, MidiScore score)
    {
        var performance = ReferenceAlignmentTests.Render(played);
        var reference = ReferenceAlignmentTests.Render(score);
        var alignment = new ReferenceAlignment().Compute(performance, reference);
        var v = new ScoreInformedComparison().Compute(performance, reference, score, alignment);
        Assert.Equal(ScoreInformedComparison.FeatureNames.Count, v.Length);
        Assert.All(v, x => Assert.True(float.IsFinite(x)));
        return ScoreInformedComparison.FeatureNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => v[p.i]);
    }

    [Fact]
    public void A_rendition_of_the_score_itself_hears_its_notes_and_differs_from_the_score_in_nothing()
    {
        var score = Piece();
        var f = Compare(score, score);
        Assert.True(f["heard_fraction"] > 0.8, $"heard {f["heard_fraction"]:F3}");
        Assert.True(f["abs_log_tempo"] < 0.01, $"|ln tempo| {f["abs_log_tempo"]:F4}");
        Assert.True(f["jitter_rms"] < 0.012, $"jitter {f["jitter_rms"]:F4}");
        foreach (var (name, value) in f.Where(p => p.Key.EndsWith("_vs_score", StringComparison.Ordinal)))
            Assert.True(Math.Abs(value) < 1e-6, $"{name} = {value}");
        Assert.Equal(0f, f["lost_fraction"]);
        Assert.Equal(1f, f["level_vs_reference_slope"], 1e-4f);
    }

    [Fact]
    public void Wrong_notes_a_semitone_or_two_off_are_heard_as_missing_from_the_score_and_played_beside_it()
    {
        var score = Piece();
        var clean = Compare(score, score);
        var wrong = Compare(Piece(pitchShift: k => k % 3 == 1 ? (k % 2 == 0 ? 1 : -2) : 0), score);
        Assert.True(wrong["heard_fraction"] < clean["heard_fraction"] - 0.15, $"heard {wrong["heard_fraction"]:F3} vs {clean["heard_fraction"]:F3}");
        Assert.True(wrong["unexplained_per_note"] > clean["unexplained_per_note"] + 0.1, $"unexplained {wrong["unexplained_per_note"]:F3} vs {clean["unexplained_per_note"]:F3}");
        Assert.True(wrong["lost_fraction"] > 0.15, $"lost {wrong["lost_fraction"]:F3}");
    }

    [Fact]
    public void A_performance_20_percent_slower_measures_log_tempo_ln_1_2_and_no_jitter()
    {
        var score = Piece(0.25);
        var slower = Piece(0.30);
        var f = Compare(slower, score);
        Assert.InRange(f["abs_log_tempo"], Math.Log(1.2) - 0.03, Math.Log(1.2) + 0.03);
        Assert.True(f["jitter_rms"] < 0.015, $"jitter {f["jitter_rms"]:F4}");
    }

    [Fact]
    public void Onsets_jittered_by_50_ms_raise_the_jitter_far_above_a_clean_rendition()
    {
        var score = Piece();
        double[] shift = [0.05, -0.04, 0.06, -0.05, 0.03, -0.06, 0.05, -0.03, 0.04, -0.05, 0.06, -0.04, 0.05, -0.06, 0.03, -0.05, 0.04, -0.03, 0.05, -0.04];
        var f = Compare(Piece(onsetShift: k => shift[k]), score);
        var clean = Compare(score, score);
        Assert.True(f["jitter_rms"] > clean["jitter_rms"] + 0.02, $"jitter {f["jitter_rms"]:F4} vs clean {clean["jitter_rms"]:F4}");
        Assert.True(f["jitter_over_30ms"] > 0.4, $"share over 30 ms {f["jitter_over_30ms"]:F3}");
    }

    [Fact]
    public void Staccato_shortens_the_measured_durations_against_the_written_ones()
    {
        var score = Piece(0.3);
        var f = Compare(Piece(0.3, durationFactor: 0.35), score);
        Assert.True(f["duration_vs_reference_median"] < -0.4, string.Join(" ", f.Where(p => p.Key.Contains("dur") || p.Key.Contains("damp") || p.Key.Contains("short")).Select(p => $"{p.Key}={p.Value:F3}")));
    }

    [Fact]
    public void Flattened_dynamics_lose_the_correlation_of_levels_with_written_velocities()
    {
        var score = Piece(velocityOf: (k, v) => k % 2 == 0 ? 40 + 4 * k : 110 - 3 * k);
        var flat = Compare(Piece(velocityOf: (_, _) => 75), score);
        var clean = Compare(score, score);
        Assert.True(clean["velocity_correlation"] > 0.6, $"clean correlation {clean["velocity_correlation"]:F3}");
        Assert.True(flat["velocity_correlation"] < clean["velocity_correlation"] - 0.4, $"flat {flat["velocity_correlation"]:F3} vs clean {clean["velocity_correlation"]:F3}");
    }

    private static MidiScore With(MidiScore score, IEnumerable<MidiNote> notes) =>
        new() { Notes = notes.OrderBy(n => n.Onset).ThenBy(n => n.Pitch).ToArray(), Tempos = score.Tempos, TimeSignatures = score.TimeSignatures, Controls = score.Controls };

    [Fact]
    public void The_first_58_measures_keep_their_version_7_names_and_places_and_the_local_ones_follow()
    {
        var names = ScoreInformedComparison.FeatureNames;
        Assert.Equal(75, names.Count);
        Assert.Equal("heard_fraction", names[0]);
        Assert.Equal("inside_fraction_vs_score", names[49]);
        Assert.Equal("log_note_count", names[57]);
        Assert.All(names.Take(58), n => Assert.False(ScoreInformedComparison.IsLocalMeasure(n), n));
        Assert.All(names.Skip(58), n => Assert.True(ScoreInformedComparison.IsLocalMeasure(n), n));
        Assert.False(ScoreInformedComparison.IsLocalMeasure("local_tempo_max"));          // a v7 measure, whole-clip
        Assert.Equal([ScoreInformedComparison.Version], ScoreInformedComparison.CompatibleVersions);   // 9 hears notes anew: 7 and 8 are refused
    }

    [Fact]
    public void Notes_missed_in_one_passage_raise_the_local_contrast_more_than_as_many_missed_across_the_piece()
    {
        var score = Piece(0.3);
        var right = score.Notes.Where(n => n.Pitch >= 60).ToArray();
        var passage = right.Where(n => n.Onset is >= 2.0 and < 3.3).ToHashSet();
        var spread = right.Where((_, k) => k % 5 == 2).Take(passage.Count).ToHashSet();
        Assert.Equal(passage.Count, spread.Count);
        Assert.True(passage.Count >= 4);
        var clean = Compare(score, score);
        var local = Compare(With(score, score.Notes.Where(n => !passage.Contains(n))), score);
        var scattered = Compare(With(score, score.Notes.Where(n => !spread.Contains(n))), score);
        string Show(string m) => $"{m}: clean {clean[m]:F3}, passage {local[m]:F3}, scattered {scattered[m]:F3}";
        Assert.True(local["lost_fraction"] > 0.1 && scattered["lost_fraction"] > 0.1, Show("lost_fraction"));
        Assert.True(local["local_lost_max"] > clean["local_lost_max"] + 0.3, Show("local_lost_max"));
        Assert.True(local["local_lost_max"] > scattered["local_lost_max"] + 0.15, Show("local_lost_max"));
    }

    [Fact]
    public void Staccato_in_one_passage_raises_the_local_duration_contrast_above_staccato_throughout()
    {
        var score = Piece(0.3);
        MidiNote Short(MidiNote n) => n with { Offset = n.Onset + 0.3 * (n.Offset - n.Onset), PedalOffset = n.Onset + 0.3 * (n.Offset - n.Onset) };
        var passage = Compare(With(score, score.Notes.Select(n => n.Pitch >= 60 && n.Onset is >= 2.0 and < 3.5 ? Short(n) : n)), score);
        var throughout = Compare(With(score, score.Notes.Select(n => n.Pitch >= 60 ? Short(n) : n)), score);
        var clean = Compare(score, score);
        const string m = "local_duration_vs_reference_short_max";
        string Show() => $"{m}: clean {clean[m]:F3}, passage {passage[m]:F3}, throughout {throughout[m]:F3}; duration_vs_reference_median {passage["duration_vs_reference_median"]:F3} / {throughout["duration_vs_reference_median"]:F3}";
        Assert.True(passage[m] > clean[m] + 0.3, Show());
        Assert.True(passage[m] > throughout[m] + 0.1, Show());
        Assert.True(throughout["duration_vs_reference_median"] < passage["duration_vs_reference_median"] - 0.2, Show());
    }

    private static (Dictionary<string, float> Values, IReadOnlyList<LocalContrast> Windows) Locate(MidiScore played, MidiScore score)
    {
        var performance = ReferenceAlignmentTests.Render(played);
        var reference = ReferenceAlignmentTests.Render(score);
        var alignment = new ReferenceAlignment().Compute(performance, reference);
        var comparison = new ScoreInformedComparison();
        var (v, windows) = comparison.Compare(comparison.Pitch.Compute(performance), comparison.Pitch.Compute(reference), score, alignment);
        Assert.Equal(comparison.Compute(performance, reference, score, alignment), v);
        return (ScoreInformedComparison.FeatureNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => v[p.i]), windows);
    }

    [Fact]
    public void Compare_gives_the_values_of_compute_and_puts_a_missed_passage_where_it_was()
    {
        var score = Piece(0.3);
        var passage = score.Notes.Where(n => n.Pitch >= 60 && n.Onset is >= 2.0 and < 3.3).ToHashSet();
        var (values, windows) = Locate(With(score, score.Notes.Where(n => !passage.Contains(n))), score);
        var lost = Assert.Single(windows, w => w.Measure == "local_lost_max");
        Assert.Equal(values["local_lost_max"], lost.Contrast, 1e-5);
        Assert.Equal(0, lost.OnScore);                        // a paired measure: already against the rendering
        Assert.True(lost.Start >= 1.8 && lost.End <= 3.5 && lost.End > lost.Start, $"lost window {lost.Start:F2}–{lost.End:F2} s, passage 2.0–3.3 s");
        var silent = Assert.Single(windows, w => w.Measure == "local_silent_max");
        Assert.True(silent.Start < 3.3 && silent.End > 2.0, $"silent window {silent.Start:F2}–{silent.End:F2} s");
        Assert.Equal(silent.Contrast - silent.OnScore, silent.Excess);
        Assert.All(windows, w => Assert.True(w.Contrast > 0 && w.End >= w.Start && double.IsFinite(w.OnScore), w.ToString()));
        Assert.Equal(windows.Count, windows.Select(w => w.Measure).Distinct().Count());
    }

    [Fact]
    public void Compare_puts_a_staccato_passage_and_a_sudden_loud_one_where_they_were()
    {
        var score = Piece(0.3);
        MidiNote Short(MidiNote n) => n with { Offset = n.Onset + 0.3 * (n.Offset - n.Onset), PedalOffset = n.Onset + 0.3 * (n.Offset - n.Onset) };
        var (_, staccato) = Locate(With(score, score.Notes.Select(n => n.Pitch >= 60 && n.Onset is >= 3.0 and < 4.5 ? Short(n) : n)), score);
        var shorter = Assert.Single(staccato, w => w.Measure == "local_duration_vs_reference_short_max");
        Assert.True(shorter.Start >= 2.8 && shorter.End <= 4.7, $"short window {shorter.Start:F2}–{shorter.End:F2} s, passage 3.0–4.5 s");
        var (_, loud) = Locate(With(score, score.Notes.Select(n => n.Onset is >= 1.0 and < 2.2 ? n with { Velocity = 120 } : n)), score);
        var sudden = Assert.Single(loud, w => w.Measure == "level_vs_reference_sudden");
        Assert.True(sudden.Start < 2.2 && sudden.End > 1.0 && sudden.Start >= 0.8, $"sudden window {sudden.Start:F2}–{sudden.End:F2} s, passage 1.0–2.2 s");
    }

    [Fact]
    public void A_pedal_left_out_shortens_the_notes_it_should_prolong_against_the_others()
    {
        var plain = Piece(0.3);
        // the score holds every other right-hand note 0.6 s past its key's release (the pedal); the performance does not
        var score = With(plain, plain.Notes.Select((n, i) => n.Pitch >= 60 && i % 2 == 0 ? n with { PedalOffset = n.Offset + 0.6 } : n));
        var pedalled = Compare(score, score);
        var missing = Compare(plain, score);
        const string m = "pedal_duration_contrast_vs_score";
        Assert.True(Math.Abs(pedalled[m]) < 1e-6, $"{m} of the score itself {pedalled[m]:F4}");
        Assert.True(missing[m] < -0.3, $"{m} without the pedal {missing[m]:F3} (pedal_duration_contrast {missing["pedal_duration_contrast"]:F3})");
    }

    [Fact]
    public void A_note_whose_band_rises_a_few_dB_is_heard_but_its_attack_is_not_timed()
    {
        // the performance's right-hand bands already sound 3 dB below each attack's peak (a tone or its partial held
        // there, reverberation): the notes are there, their attacks barely rise
        var score = Piece(0.3);
        var reference = ReferenceAlignmentTests.Render(score);
        var alignment = new ReferenceAlignment().Compute(reference, reference);
        var comparison = new ScoreInformedComparison();
        var pr = comparison.Pitch.Compute(reference);
        var masked = (float[])pr.Data.Clone();
        int bands = pr.Columns, lo = comparison.Options.Pitch.MinPitch;
        foreach (var n in score.Notes.Where(n => n.Pitch >= 60))
        {
            int t0 = Array.FindIndex(pr.FrameTimes, t => t >= n.Onset);
            foreach (int j in new[] { n.Pitch - lo, n.Pitch - lo + 12, n.Pitch - lo + 19 })     // the band and the partials a masked note is also read in
            {
                if (j >= bands) continue;
                int top = t0;
                for (int t = t0; t <= Math.Min(pr.Rows - 1, t0 + 8); t++) if (pr.Data[t * bands + j] > pr.Data[top * bands + j]) top = t;
                float peak = pr.Data[top * bands + j];
                for (int t = Math.Max(0, t0 - 20); t < top; t++) masked[t * bands + j] = Math.Max(masked[t * bands + j], peak - 3);
            }
        }
        var pp = new FeatureMatrix(masked, pr.Rows, pr.Columns, pr.FeatureNames, pr.FrameTimes, pr.Options);
        var names = ScoreInformedComparison.FeatureNames.ToList();
        float[] now = comparison.Compute(pp, pr, score, alignment);
        float[] before = new ScoreInformedComparison(new ScoreInformedOptions { HeardRiseDb = 6 }).Compute(pp, pr, score, alignment);
        float Get(float[] v, string m) => v[names.IndexOf(m)];
        Assert.True(Get(now, "lost_fraction") < 0.05, $"lost at 1 dB {Get(now, "lost_fraction"):F3} (rise median {Get(now, "rise_median_db"):F1} dB)");
        Assert.True(Get(before, "lost_fraction") > Get(now, "lost_fraction") + 0.2, $"lost at 6 dB {Get(before, "lost_fraction"):F3}, at 1 dB {Get(now, "lost_fraction"):F3}");
        // the timing reads clear attacks only, whichever notes are heard: the same groups, the same jitter
        Assert.Equal(Get(before, "jitter_rms"), Get(now, "jitter_rms"));
        Assert.Equal(Get(before, "abs_log_tempo"), Get(now, "abs_log_tempo"));
        var o = new ScoreInformedOptions();
        Assert.Equal((1.0, 6.0), (o.HeardRiseDb, o.AttackRiseDb));
        var e = Assert.ThrowsAny<HarmoniousFeedbackException>(() => new ScoreInformedComparison(new ScoreInformedOptions { HeardRiseDb = 8 }));
        Assert.Contains("AttackRiseDb", e.Message);
    }

    [Fact]
    public void A_long_score_with_repeated_and_never_repeated_pitches_gives_finite_measures()
    {
        // a minute, 800 notes: the onset, tempo and sudden-change scans are windowed, not over all pairs
        var notes = new List<MidiNote>();
        for (int k = 0; k < 800; k++)
        {
            double on = 0.1 + k * 0.075;
            int pitch = k % 5 == 0 ? 60 : 40 + (k * 7) % 60;     // a pitch that recurs every fifth note, the rest cycling
            notes.Add(new MidiNote(on, on + 0.12, pitch, 50 + k % 60, 0, on + 0.12));
        }
        var score = new MidiScore { Notes = notes, Tempos = [], TimeSignatures = [], Controls = [] };
        var clip = ReferenceAlignmentTests.Render(score);
        var f = Compare(score, score);
        Assert.True(f["heard_fraction"] > 0.5, $"heard {f["heard_fraction"]:F3}");
        Assert.Equal(0f, f["lost_fraction"]);
        Assert.True(clip.DurationSeconds > 60);
    }

    [Fact]
    public void Performance_frame_inverts_the_reference_positions_and_extends_them_at_slope_one()
    {
        double[] pi = [0, 0.5, 1, 1.5, 2, 2, 2, 3, 4];
        Assert.Equal(2, ScoreInformedComparison.PerformanceFrame(pi, 1), 12);
        Assert.Equal(2.5, ScoreInformedComparison.PerformanceFrame(pi, 1.25), 12);
        Assert.Equal(4, ScoreInformedComparison.PerformanceFrame(pi, 2), 12);        // the first frame that reaches it
        Assert.Equal(7.5, ScoreInformedComparison.PerformanceFrame(pi, 3.5), 12);
        Assert.Equal(10, ScoreInformedComparison.PerformanceFrame(pi, 6), 12);
        Assert.Equal(-1, ScoreInformedComparison.PerformanceFrame(pi, -1), 12);
    }

    [Fact]
    public void An_alignment_on_another_hop_is_refused_naming_both_frame_counts()
    {
        var score = Piece();
        var clip = ReferenceAlignmentTests.Render(score);
        var alignment = new ReferenceAlignment().Compute(clip, clip);
        var other = new ScoreInformedComparison(new ScoreInformedOptions { Pitch = new PitchSpectrogramOptions { Stft = new SpectrogramOptions { NFft = 2048, HopLength = 320 } } });
        var e = Assert.Throws<InvalidSignalException>(() => other.Compute(clip, clip, score, alignment));
        Assert.Contains("same hop", e.Message);
    }

    [Fact]
    public void Options_out_of_range_are_refused_with_their_names()
    {
        var e = Assert.ThrowsAny<HarmoniousFeedbackException>(() => new ScoreInformedComparison(new ScoreInformedOptions { HeardRiseDb = -1, SuddenWindowSeconds = [] }));
        Assert.Contains("HeardRiseDb", e.Message);
        Assert.Contains("SuddenWindowSeconds", e.Message);
    }
}
