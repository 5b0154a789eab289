using HarmoniousFeedback.Midi.Deviations;
using Xunit;

namespace HarmoniousFeedback.Tests.Midi.Deviations;

public class NoteDeviationTests
{
    [Fact]
    public void Wrong_notes_change_exactly_round_f_n_notes_by_one_or_two_semitones()
    {
        var p = new WrongNotesDeviation { Intensity = 0.5 }.Apply(TestScores.Melody(400), seed: 3);
        var changed = p.Notes.Where(n => n.PitchChanged).ToArray();
        // f = 0.05 + 0.5·(0.35 − 0.05) = 0.20; drawn without replacement, so exactly round(0.20·400) = 80 notes.
        Assert.Equal(80, changed.Length);
        Assert.All(changed, n => Assert.Contains(Math.Abs(n.Played.Pitch - n.Clean.Pitch), new[] { 1, 2 }));
        Assert.All(changed, n => Assert.Equal(n.Clean with { Pitch = n.Played.Pitch }, n.Played)); // only the pitch moves
        Assert.All(p.Notes.Where(n => !n.PitchChanged), n => Assert.Equal(n.Clean, n.Played));
        var record = Assert.Single(p.Deviations);
        Assert.Equal(changed.Select(n => n.Id), record.ChangedNotes);
        Assert.Equal(0.20, record.Amounts["fraction"], 12);
        Assert.Equal(80, record.Amounts["in_key"] + record.Amounts["out_of_key"]);
    }

    [Fact]
    public void Wrong_notes_in_key_and_out_of_key_modes_keep_to_their_side_of_the_scale()
    {
        var score = TestScores.Melody(200);
        var inKey = new WrongNotesDeviation { Intensity = 1, Mode = WrongNoteMode.InKey }.Apply(score, 1);
        var outKey = new WrongNotesDeviation { Intensity = 1, Mode = WrongNoteMode.OutOfKey }.Apply(score, 1);
        Assert.Equal(0, inKey.Scale.Tonic); // the melody walks the C-major keys
        var a = inKey.Notes.Where(n => n.PitchChanged).ToArray();
        var b = outKey.Notes.Where(n => n.PitchChanged).ToArray();
        Assert.Equal(70, a.Length); // round(0.35·200): every white key has an in-key neighbour within 2 semitones
        Assert.Equal(70, b.Length); // … and a black-key neighbour within 2
        Assert.All(a, n => Assert.True(inKey.Scale.Contains(n.Played.Pitch)));
        Assert.All(b, n => Assert.False(outKey.Scale.Contains(n.Played.Pitch)));
        Assert.Equal(70, inKey.Deviations[0].Amounts["in_key"]);
        Assert.Equal(70, outKey.Deviations[0].Amounts["out_of_key"]);
    }

    [Fact]
    public void Local_wrong_notes_change_only_notes_whose_onsets_lie_in_the_span()
    {
        var span = new TimeRange(10, 20);
        var p = new WrongNotesDeviation { Intensity = 0.5, Span = span }.Apply(TestScores.Melody(400), 4);
        var changed = p.Notes.Where(n => n.PitchChanged).ToArray();
        Assert.Equal(8, changed.Length); // 40 notes start in [10, 20); round(0.20·40) = 8
        Assert.All(changed, n => Assert.True(span.Contains(n.Clean.Onset)));
        Assert.Equal(span, p.Deviations[0].Span);
        Assert.True(p.Deviations[0].Localised);
    }

    [Fact]
    public void Missed_notes_leave_out_exactly_round_f_n_notes_and_the_student_score_lacks_them()
    {
        var p = new MissedNotesDeviation { Intensity = 1 }.Apply(TestScores.Melody(400), 5);
        // f = 0.35 at intensity 1 → round(0.35·400) = 140 notes missed.
        Assert.Equal(140, p.Notes.Count(n => n.Missed));
        Assert.Equal(260, p.ToScore().Notes.Count);
        Assert.Equal(p.Notes.Where(n => n.Missed).Select(n => n.Id), p.Deviations[0].ChangedNotes);
        Assert.Equal(400, p.ToCleanScore().Notes.Count);
    }

    [Fact]
    public void Extra_notes_are_neighbouring_keys_struck_20_to_80_ms_after_a_written_note()
    {
        var p = new ExtraNotesDeviation { Intensity = 0 }.Apply(TestScores.Melody(400), 6);
        var extra = p.Notes.Where(n => n.IsExtra).ToArray();
        Assert.Equal(20, extra.Length); // rate 0.05 at intensity 0 → round(0.05·400) = 20
        var written = p.Notes.Where(n => !n.IsExtra).Select(n => n.Played).ToArray();
        foreach (var x in extra)
        {
            Assert.Equal(x.Clean, x.Played);
            Assert.Contains(written, w => Math.Abs(w.Pitch - x.Played.Pitch) is 1 or 2
                && x.Played.Onset - w.Onset is >= 0.02 - 1e-9 and <= 0.08 + 1e-9);
            Assert.InRange(x.Played.Duration, 0.08, 0.25);
        }
        Assert.Equal(extra.Select(n => n.Id), p.Deviations[0].ChangedNotes);
        Assert.Equal(420, p.ToScore().Notes.Count);
    }
}
