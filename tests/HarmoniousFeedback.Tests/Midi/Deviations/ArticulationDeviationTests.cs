using HarmoniousFeedback.Midi.Deviations;
using Xunit;

namespace HarmoniousFeedback.Tests.Midi.Deviations;

public class ArticulationDeviationTests
{
    [Fact]
    public void Staccato_shortens_key_releases_and_lifts_the_pedal_in_its_span_only()
    {
        var span = new TimeRange(10, 20);
        var p = new StaccatoDeviation { Intensity = 0, Span = span }.Apply(TestScores.Melody(400, pedal: true), 1);
        var student = p.ToScore();
        var byOnset = student.Notes.ToDictionary(n => Math.Round(n.Onset, 3));
        foreach (var n in p.Notes)
        {
            var s = byOnset[Math.Round(n.Played.Onset, 3)];
            if (span.Contains(n.Clean.Onset))
            {
                Assert.Equal(0.7 * 0.2, n.Played.Duration, 9);                  // shortened by 30 % at intensity 0
                Assert.Equal(s.Offset, s.PedalOffset, 9);                         // no pedal holds it in the span
            }
            else
            {
                Assert.Equal(n.Clean, n.Played);
            }
        }
        // Outside the span the written pedal still sustains notes released while it is down (e.g. the note at 30 s).
        Assert.True(byOnset[30.0].PedalOffset > byOnset[30.0].Offset + 0.1);
        Assert.Equal(1, p.Deviations[0].Amounts["pedal_lifted"]);
    }

    [Fact]
    public void Legato_lengthens_notes_by_its_factor_but_never_past_the_next_strike_of_the_same_key()
    {
        var p = new LegatoDeviation { Intensity = 0 }.Apply(TestScores.Melody(80), 1);
        Assert.All(p.Notes.Take(79), n => Assert.Equal(1.5 * 0.2, n.Played.Duration, 9)); // ×1.5; the same key returns 8 notes later
        var repeated = TestScores.Build([.. Enumerable.Range(0, 8).Select(i => new HarmoniousFeedback.Midi.MidiNote(i * 0.25, i * 0.25 + 0.2, 60, 64, 0, i * 0.25 + 0.2))], []);
        var q = new LegatoDeviation { Intensity = 1 }.Apply(repeated, 1);
        Assert.All(q.Notes.Take(7), n => Assert.Equal(0.25, n.Played.Duration, 9)); // ×3 would be 0.6 s: cut at the re-strike
    }

    [Fact]
    public void A_held_pedal_sustains_every_note_of_the_held_stretch_and_is_released_after_it()
    {
        var p = new PedalHeldDeviation { Intensity = 0 }.Apply(StudentPerformance.FromReference(TestScores.Melody(400), 100), 1);
        var held = p.Deviations[0].Span;
        Assert.Equal(new TimeRange(0, 30), held); // 30 % of the clip at intensity 0
        var student = p.ToScore();
        foreach (var n in student.Notes)
        {
            if (n.Offset < 30 - 1e-6)
            {
                // Sounding until the pedal is lifted at 30 s or the key is struck again, whichever is first.
                double restrike = student.Notes.Where(m => m.Pitch == n.Pitch && m.Onset >= n.Offset).Select(m => m.Onset).DefaultIfEmpty(30).Min();
                Assert.Equal(Math.Min(30, restrike), n.PedalOffset, 3);
            }
            else if (n.Onset > 30)
            {
                Assert.Equal(n.Offset, n.PedalOffset, 9);
            }
        }
    }

    [Fact]
    public void Leaving_out_every_pedal_press_lets_notes_stop_at_their_key_release()
    {
        var score = TestScores.Melody(400, pedal: true);
        var spec = new PedalMissingDeviation { Intensity = 1 };
        var p = spec.Apply(score, 1);
        Assert.Equal(50, p.Deviations[0].Amounts["presses"]);  // one press per 2 s bar over 100 s
        Assert.Equal(50, p.Deviations[0].Amounts["removed"]);  // fraction 1 at intensity 1
        Assert.All(p.ToScore().Notes, n => Assert.Equal(n.Offset, n.PedalOffset, 9));
        Assert.Contains(score.Notes, n => n.PedalOffset > n.Offset + 0.1); // the reference did sustain notes
        Assert.False(spec.IsApplicable(StudentPerformance.FromReference(TestScores.Melody(40))));
    }
}
