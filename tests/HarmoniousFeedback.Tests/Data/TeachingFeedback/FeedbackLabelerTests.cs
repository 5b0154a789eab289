using HarmoniousFeedback.Data.TeachingFeedback;
using HarmoniousFeedback.Midi.Deviations;
using HarmoniousFeedback.Tests.Midi.Deviations;
using Xunit;

namespace HarmoniousFeedback.Tests.Data.TeachingFeedback;

public class FeedbackLabelerTests
{
    private static readonly FeedbackLabelRules Rules = new();

    /// <summary>Score of an error by the rules' ramp: 1 − clamp((e − tol)/(full − tol), 0, 1).</summary>
    private static double Ramp(double e, double tol, double full) => 1 - Math.Clamp((e - tol) / (full - tol), 0, 1);

    /// <summary>400 notes of equal velocity 64 and duration 0.24 s over 100 s: every salience is (64/127)·(0.24/0.25), equal.</summary>
    private static StudentPerformance Even() => StudentPerformance.FromReference(TestScores.Melody(400, duration: 0.24, velocity: 64), 100);

    [Fact]
    public void Clean_rendition_scores_one_in_every_dimension_with_no_dominant_issue()
    {
        var p = new NaturalVariability().Apply(StudentPerformance.FromReference(TestScores.Melody(48, pedal: true)), 3);
        var labels = FeedbackLabeler.Label(p, intendedValence: -0.4, intendedArousal: 0.6);
        Assert.Equal(FeedbackScores.Perfect, labels.Scores);
        Assert.Equal("none", labels.DominantIssue);
        Assert.All(labels.Windows, w => Assert.Equal("none", w.DominantIssue));
        Assert.Equal(new EmotionTargets(-0.4, 0.6, 1, 0.6, -0.4, 1), labels.Emotion);
    }

    [Fact]
    public void Pitch_error_is_the_salience_weighted_fraction_of_wrong_notes_with_in_key_ones_weighted_less()
    {
        // Durations 0.24 s < τ_s = 0.25 s: every salience is (64/127)·0.96, equal, so weights cancel.
        var outKey = new WrongNotesDeviation { Intensity = 0.5, Mode = WrongNoteMode.OutOfKey }.Apply(Even(), 1);
        var e = FeedbackLabeler.Errors(outKey, outKey.WholeClip);
        Assert.Equal(80 / 400.0, e.Pitch, 12);
        Assert.Equal(Ramp(0.2, 0, Rules.PitchFullError), FeedbackLabeler.Scores(outKey, outKey.WholeClip).Pitch, 12);
        var inKey = new WrongNotesDeviation { Intensity = 0.5, Mode = WrongNoteMode.InKey }.Apply(Even(), 1);
        Assert.Equal(Rules.InKeyWeight * 80 / 400.0, FeedbackLabeler.Errors(inKey, inKey.WholeClip).Pitch, 12);
        var extra = new ExtraNotesDeviation { Intensity = 0 }.Apply(Even(), 1);
        var xe = FeedbackLabeler.Errors(extra, extra.WholeClip);
        Assert.InRange(xe.Pitch, 0.02 * Rules.InKeyWeight * 0.5, 0.05); // 20 extras at 0.5–0.9 of the velocity, weighted 0.75 or 1, over 400
        Assert.Equal(0, xe.Completeness);
    }

    [Fact]
    public void Completeness_error_is_the_salience_weighted_fraction_of_missed_notes()
    {
        var p = new MissedNotesDeviation { Intensity = 0.5 }.Apply(Even(), 1);
        var e = FeedbackLabeler.Errors(p, p.WholeClip);
        Assert.Equal(80 / 400.0, e.Completeness, 12);
        Assert.Equal(Ramp(0.2, 0, Rules.CompletenessFullError), FeedbackLabeler.Scores(p, p.WholeClip).Completeness, 12);
        Assert.Equal(0, e.Pitch);
    }

    [Fact]
    public void Rhythm_error_is_the_rms_of_the_planted_onset_displacements()
    {
        var p = new OnsetJitterDeviation { Intensity = 0.2 }.Apply(new NaturalVariability().Apply(Even(), 2), 1);
        double rms = Math.Sqrt(p.Notes.Average(n => Math.Pow(n.Played.Onset - n.Clean.Onset, 2)));
        var e = FeedbackLabeler.Errors(p, p.WholeClip);
        Assert.Equal(rms, e.RhythmRmsSeconds, 12); // the natural jitter is in both twins and does not count
        Assert.Equal(Ramp(rms, Rules.RhythmTolerance, Rules.RhythmFullError), FeedbackLabeler.Scores(p, p.WholeClip).Rhythm, 12);
        Assert.Equal(0, e.TempoMeanAbsLogStretch);
    }

    [Fact]
    public void Tempo_error_is_the_mean_absolute_log_stretch()
    {
        var p = new LocalTempoDeviation { Intensity = 0.5 }.Apply(Even(), 1); // whole clip at τ = 1.24
        var e = FeedbackLabeler.Errors(p, p.WholeClip);
        Assert.Equal(Math.Log(1.24), e.TempoMeanAbsLogStretch, 9);
        Assert.Equal(Ramp(Math.Log(1.24), Rules.TempoTolerance, Rules.TempoFullError), FeedbackLabeler.Scores(p, p.WholeClip).Tempo, 9);
        Assert.Equal(0, e.RhythmRmsSeconds, 12); // a warp is not a rhythm error
        Assert.Equal(0, e.ArticulationError, 12); // nor an articulation error: durations are compared at the same tempo
    }

    [Fact]
    public void Dynamics_score_is_the_lower_of_the_level_and_contrast_ramps()
    {
        var flat = new FlattenedDynamicsDeviation { Intensity = 1 }.Apply(StudentPerformance.FromReference(TestScores.Melody(400)), 1);
        var fe = FeedbackLabeler.Errors(flat, flat.WholeClip);
        Assert.True(fe.ContrastError > Rules.ContrastFullError); // every velocity at the mean: no contrast left
        Assert.Equal(0, FeedbackLabeler.Scores(flat, flat.WholeClip).Dynamics);

        var loud = new SuddenDynamicsDeviation { Intensity = 0 }.Apply(StudentPerformance.FromReference(TestScores.Melody(400)), 1);
        double level = loud.Notes.Average(n => Rules.DbPerVelocityDecade * Math.Log10((n.Clean.Velocity + 15.0) / n.Clean.Velocity));
        var le = FeedbackLabeler.Errors(loud, loud.WholeClip);
        Assert.Equal(level, le.LevelErrorDb, 9);
        double contrast = Ramp(le.ContrastError, Rules.ContrastTolerance, Rules.ContrastFullError);
        Assert.Equal(Math.Min(contrast, Ramp(level, Rules.LevelToleranceDb, Rules.LevelFullErrorDb)), FeedbackLabeler.Scores(loud, loud.WholeClip).Dynamics, 9);
    }

    [Fact]
    public void Articulation_error_is_the_mean_absolute_log_ratio_of_sounding_durations()
    {
        var p = new StaccatoDeviation { Intensity = 0 }.Apply(StudentPerformance.FromReference(TestScores.Melody(400)), 1);
        var e = FeedbackLabeler.Errors(p, p.WholeClip);
        Assert.Equal(Math.Abs(Math.Log(0.7)), e.ArticulationError, 9); // 0.2 s → 0.14 s, no pedal, inside [0.03, 1] s
        Assert.Equal(Ramp(Math.Abs(Math.Log(0.7)), Rules.ArticulationTolerance, Rules.ArticulationFullError),
                     FeedbackLabeler.Scores(p, p.WholeClip).Articulation, 9);
        var held = new PedalHeldDeviation { Intensity = 1 }.Apply(StudentPerformance.FromReference(TestScores.Melody(400), 100), 1);
        Assert.True(FeedbackLabeler.Errors(held, held.WholeClip).ArticulationError > 1); // 0.2 s notes sound ≥ 1 s (the clamp)
    }

    [Fact]
    public void Clip_scores_are_the_worst_window_so_a_local_issue_is_not_diluted()
    {
        var p = new WrongNotesDeviation { Intensity = 1, Span = new TimeRange(6, 8) }.Apply(StudentPerformance.FromReference(TestScores.Melody(48), 12), 1);
        var labels = FeedbackLabeler.Label(p, 0, 0);
        Assert.Equal(FeedbackLabeler.Windows(12).Count, labels.Windows.Count);
        Assert.Equal(19, labels.Windows.Count); // 3 s windows every 0.5 s over 12 s: starts 0 … 9
        Assert.All(labels.Windows.Where(w => w.Window.Overlap(new TimeRange(6, 8)) == 0), w => Assert.Equal(1, w.Scores.Pitch));
        Assert.Equal(labels.Windows.Min(w => w.Scores.Pitch), labels.Scores.Pitch);
        Assert.True(labels.Scores.Pitch < FeedbackLabeler.Scores(p, p.WholeClip).Pitch); // the whole clip would dilute it
        Assert.Equal("pitch", labels.DominantIssue);
        var d = Assert.Single(labels.Deviations);
        Assert.Equal(1 - FeedbackLabeler.Scores(p, new TimeRange(6, 8)).Pitch, d.Severity, 12);
    }

    [Fact]
    public void Dominant_issue_is_the_lowest_score_below_the_threshold_with_ties_in_dimension_order()
    {
        Assert.Equal("none", new FeedbackScores(0.8, 0.75, 0.7, 1, 1, 1).DominantIssue(0.7));
        Assert.Equal("tempo", new FeedbackScores(0.8, 0.75, 0.69, 1, 1, 1).DominantIssue(0.7));
        Assert.Equal("rhythm", new FeedbackScores(0.8, 0.2, 1, 1, 1, 0.2).DominantIssue(0.7));
    }

    [Fact]
    public void Emotional_targets_follow_their_formulas()
    {
        var flat = new FlattenedDynamicsDeviation { Intensity = 1 }.Apply(StudentPerformance.FromReference(TestScores.Melody(48), 12), 1);
        var f = FeedbackLabeler.Label(flat, 0.8, -0.2).Emotion;
        Assert.Equal(0, f.Expressiveness, 2);                // no contrast left (σ of a few rounding steps / σ ≈ 16)
        Assert.Equal(0.8 * (0.5 + 0.5 * f.Expressiveness), f.Sentiment, 12);
        Assert.Equal(0.5 * f.Expressiveness + 0.5, f.Engagement, 12); // flow intact: rhythm, tempo, completeness 1
        var fast = new LocalTempoDeviation { Intensity = 0 }.Apply(StudentPerformance.FromReference(TestScores.Melody(48), 12), 1);
        var t = FeedbackLabeler.Label(fast, 0.8, -0.2).Emotion;
        Assert.Equal(-0.2 + Rules.ToneTempoWeight * Math.Log(1.08), t.Tone, 9); // ρ̄ = ln τ, τ = 1.08 over the whole clip
        var wrong = new WrongNotesDeviation { Intensity = 1 }.Apply(StudentPerformance.FromReference(TestScores.Melody(48), 12), 1);
        var w = FeedbackLabeler.Label(wrong, 0.8, -0.2);
        Assert.Equal(Math.Clamp(0.8 - Rules.SentimentPitchWeight * (1 - w.Scores.Pitch), -1, 1), w.Emotion.Sentiment, 12);
    }
}
