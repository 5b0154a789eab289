using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Deviations;
using HarmoniousFeedback.Midi.Rendering;
using Xunit;

namespace HarmoniousFeedback.Tests.Midi.Deviations;

public class StudentPerformanceTests
{
    private static IPerformanceDeviation[] AllKinds(TimeRange span) =>
    [
        new WrongNotesDeviation { Span = span }, new ExtraNotesDeviation { Span = span }, new MissedNotesDeviation { Span = span },
        new OnsetJitterDeviation { Span = span }, new LocalTempoDeviation { Span = span }, new GlobalTempoDeviation(),
        new FlattenedDynamicsDeviation { Span = span }, new ExaggeratedDynamicsDeviation { Span = span }, new SuddenDynamicsDeviation { Span = span },
        new StaccatoDeviation { Span = span }, new LegatoDeviation { Span = span }, new PedalHeldDeviation { Span = span }, new PedalMissingDeviation { Span = span },
    ];

    [Fact]
    public void Every_kind_has_a_spec_and_each_spec_lowers_its_own_dimension()
    {
        var kinds = AllKinds(new TimeRange(2, 6)).Select(d => d.Kind).ToArray();
        Assert.Equal(DeviationKinds.All, kinds.Order());
        Assert.All(AllKinds(new TimeRange(2, 6)), d => Assert.Equal(d.Kind, DeviationKinds.Parse(DeviationKinds.Name(d.Kind))));
    }

    [Fact]
    public void Every_deviation_gives_the_same_student_score_for_the_same_seed_and_the_random_ones_differ_with_another()
    {
        var score = TestScores.Melody(64, pedal: true);
        foreach (var d in AllKinds(new TimeRange(2, 10)))
        {
            var a = MidiWriter.ToBytes(d.Apply(score, 11).ToScore());
            var b = MidiWriter.ToBytes(d.Apply(score, 11).ToScore());
            Assert.Equal(a, b);
            if (d is WrongNotesDeviation or ExtraNotesDeviation or MissedNotesDeviation or OnsetJitterDeviation)
                Assert.NotEqual(RenderCache.Sha256Hex(a), RenderCache.Sha256Hex(MidiWriter.ToBytes(d.Apply(score, 12).ToScore())));
        }
    }

    [Fact]
    public void Natural_variability_moves_clean_and_played_notes_together_and_plants_nothing()
    {
        var reference = TestScores.Melody(400);
        var nat = new NaturalVariability();
        var p = nat.Apply(StudentPerformance.FromReference(reference), 5);
        Assert.True(p.HasNaturalVariability);
        Assert.Empty(p.Deviations);
        Assert.All(p.Notes, n => Assert.Equal(n.Clean, n.Played));
        Assert.All(p.PlantedTempo.Values, v => Assert.Equal(0, v));
        double s = p.End / p.ReferenceEnd; // the global tempo factor
        Assert.InRange(s, 1 - nat.TempoSpread, 1 + nat.TempoSpread);
        var jitter = p.Notes.Skip(2).Select(n => n.Clean.Onset / s - reference.Notes[n.Source].Onset).ToArray();
        // σ = 8 ms clipped at ±3σ (std × 0.987); n = 398 gives a 3.5 % standard error: allow 15 %.
        Assert.InRange(TestScores.Std(jitter) / nat.OnsetJitterSeconds, 0.85, 1.15);
        Assert.All(p.Notes, n => Assert.InRange(Math.Abs(n.Clean.Velocity - reference.Notes[n.Source].Velocity), 0, 4 * nat.VelocityJitter));
    }

    [Fact]
    public void Sustain_pedal_rule_gives_the_offsets_the_midi_reader_reads()
    {
        var r = new SplitMix64(7);
        var notes = Enumerable.Range(0, 300).Select(i =>
        {
            double on = Math.Round(r.NextDouble() * 60, 3), len = 0.05 + Math.Round(r.NextDouble(), 3);
            return new MidiNote(on, on + len, 48 + (int)(r.NextDouble() * 24), 64, 0, on + len);
        }).ToArray();
        var controls = Enumerable.Range(0, 30).SelectMany(k => new[] { new ControlChange(2 * k + 0.3, 0, 64, 127), new ControlChange(2 * k + 1.6, 0, 64, 0) }).ToArray();
        var read = TestScores.Build(notes, controls);
        var mine = SustainPedal.Extend(read.Notes.Select(n => n with { PedalOffset = n.Offset }).ToArray(), read.Controls);
        Assert.Contains(read.Notes, n => n.PedalOffset > n.Offset); // the pedal matters in this score
        Assert.Equal(read.Notes.Select(n => n.PedalOffset), mine.Select(n => n.PedalOffset)); // same times (ticks), same rule
    }

    [Fact]
    public void Invalid_deviation_options_are_reported_together_naming_each_value()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new WrongNotesDeviation { Intensity = 1.5, MinFraction = 0.5, MaxFraction = 0.2 }.Validate());
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains(e.Problems, s => s.Contains("Intensity = 1.5"));
        Assert.Contains(e.Problems, s => s.Contains("MaxFraction = 0.2"));
        var p = StudentPerformance.FromReference(TestScores.Melody(8)); // 2 s
        var late = Assert.Throws<OptionsValidationException>(() => new MissedNotesDeviation { Span = new TimeRange(1, 5) }.Apply(p, 1));
        Assert.Contains("ends after the clip", late.Message);
        var global = Assert.Throws<OptionsValidationException>(() => new GlobalTempoDeviation { Span = new TimeRange(0, 1) }.Apply(p, 1));
        Assert.Contains("Span must be null", global.Message);
    }

    [Fact]
    public void Excerpt_keeps_notes_starting_in_the_window_shifted_to_zero_and_carries_a_held_pedal_in()
    {
        var score = TestScores.Build(
            [new MidiNote(1.0, 1.5, 60, 64, 0, 1.5), new MidiNote(2.5, 3.5, 62, 64, 0, 3.5), new MidiNote(5.5, 7.0, 64, 64, 0, 7.0), new MidiNote(6.5, 7, 65, 64, 0, 7)],
            [new ControlChange(1.0, 0, 64, 127), new ControlChange(3.0, 0, 64, 0)]);
        var ex = MidiExcerpt.Cut(score, 2.0, 4.0);
        Assert.Equal([(0.5, 1.5, 62), (3.5, 4.0, 64)], ex.Notes.Select(n => (Math.Round(n.Onset, 3), Math.Round(n.Offset, 3), n.Pitch)));
        Assert.Equal([(0.0, 127), (1.0, 0)], ex.Controls.Where(c => c.Controller == 64).Select(c => (Math.Round(c.Seconds, 3), c.Value)));
        Assert.Equal(1.5, ex.Notes[0].PedalOffset, 3); // released at 1.5 s with the pedal up since 1.0 s
    }

    [Fact]
    public void Scale_estimate_finds_the_pitch_class_set_of_a_diatonic_passage()
    {
        static MidiNote[] Notes(params int[] pitches) => [.. pitches.Select((p, i) => new MidiNote(i * 0.5, i * 0.5 + 0.4, p, 64, 0, i * 0.5 + 0.4))];
        var g = DiatonicScale.Estimate(Notes(67, 69, 71, 72, 74, 76, 78, 79));
        Assert.Equal(7, g.Tonic);
        Assert.True(g.Contains(66));   // F♯
        Assert.False(g.Contains(65));  // F
        Assert.Equal(0, DiatonicScale.Estimate(Notes(57, 59, 60, 62, 64, 65, 67, 69)).Tonic); // A natural minor = C major's set
    }
}
