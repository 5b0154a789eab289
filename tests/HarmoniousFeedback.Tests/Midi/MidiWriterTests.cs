using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Tests.Midi.Rendering;
using Xunit;

namespace HarmoniousFeedback.Tests.Midi;

public class MidiWriterTests
{
    private static MidiNote Note(double on, double off, int pitch, int vel = 80) => new(on, off, pitch, vel, 0, off);

    [Theory]
    [InlineData(0u, new byte[] { 0x00 })]
    [InlineData(0x7Fu, new byte[] { 0x7F })]
    [InlineData(0x80u, new byte[] { 0x81, 0x00 })]
    [InlineData(0x2000u, new byte[] { 0xC0, 0x00 })]
    [InlineData(0x0FFFFFFFu, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    public void Variable_length_quantities_follow_the_SMF_examples(uint value, byte[] expected)
    {
        // Values from the SMF 1.0 specification's table of variable-length quantities.
        using var ms = new MemoryStream();
        MidiWriter.WriteVarLen(ms, value);
        Assert.Equal(expected, ms.ToArray());
    }

    [Fact]
    public void Header_tempo_and_events_are_exact()
    {
        // One quarter note C4 at 120 BPM, 480 ticks per quarter: on at tick 0, off at tick 480 (0.5 s).
        var bytes = MidiWriter.ToBytes(PianoSynthesizerTests.Score(Note(0, 0.5, 60, 100)));
        byte[] header = [(byte)'M', (byte)'T', (byte)'h', (byte)'d', 0, 0, 0, 6, 0, 1, 0, 2, 0x01, 0xE0];
        Assert.Equal(header, bytes[..14]);
        // Track 0: tempo 500000 µs = 0x07A120, time signature 4/4.
        int t0 = 14;
        Assert.Equal("MTrk"u8.ToArray(), bytes[t0..(t0 + 4)]);
        byte[] tempo = [0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20];
        Assert.Equal(tempo, bytes[(t0 + 8)..(t0 + 15)]);
        byte[] ts = [0x00, 0xFF, 0x58, 0x04, 4, 2, 24, 8];
        Assert.Equal(ts, bytes[(t0 + 15)..(t0 + 23)]);
        int t1 = t0 + 8 + 19;
        Assert.Equal("MTrk"u8.ToArray(), bytes[t1..(t1 + 4)]);
        byte[] track1 = [0x00, 0x90, 60, 100, 0x83, 0x60, 0x80, 60, 64, 0x00, 0xFF, 0x2F, 0x00];
        Assert.Equal(track1.Length, bytes[t1 + 7]);
        Assert.Equal(track1, bytes[(t1 + 8)..]);
    }

    [Fact]
    public void Same_tick_order_is_offs_then_controllers_then_ons_and_overlaps_are_cut()
    {
        var score = new MidiScore
        {
            // Re-struck C4 at 0.5 s while the first one (to 0.8 s) still sounds: the first is cut at 0.5 s.
            Notes = [Note(0, 0.8, 60), Note(0.5, 1.0, 60)],
            Tempos = [],
            TimeSignatures = [],
            Controls = [new ControlChange(0.5, 0, 64, 127)],
            Source = "test",
        };
        var b = MidiWriter.ToBytes(score);
        int t1 = 14 + 8 + 19 + 8;
        byte[] expected =
        [
            0x00, 0x90, 60, 80,        // tick 0 on
            0x83, 0x60, 0x80, 60, 64,  // tick 480 off (cut at the re-strike)
            0x00, 0xB0, 64, 127,       // tick 480 pedal down
            0x00, 0x90, 60, 80,        // tick 480 on
            0x83, 0x60, 0x80, 60, 64,  // tick 960 off
            0x00, 0xFF, 0x2F, 0x00,
        ];
        Assert.Equal(expected, b[t1..]);
    }

    [Fact]
    public void Equal_scores_give_equal_bytes_and_writes_are_atomic_files()
    {
        var s = PianoSynthesizerTests.Score(Note(0, 0.5, 60), Note(0.25, 1, 64));
        Assert.Equal(MidiWriter.ToBytes(s), MidiWriter.ToBytes(s));
        var dir = TestPaths.TempDir();
        var path = Path.Combine(dir, "a.mid");
        MidiWriter.Write(path, s);
        Assert.Equal(MidiWriter.ToBytes(s), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void Invalid_notes_raise_MidiFormatException_naming_the_source()
    {
        var e = Assert.Throws<MidiFormatException>(() => MidiWriter.ToBytes(PianoSynthesizerTests.Score(new MidiNote(0, 1, 130, 80, 0, 1))));
        Assert.Contains("test", e.Message);
        Assert.Contains("pitch 130", e.Message);
        Assert.Throws<MidiFormatException>(() => MidiWriter.ToBytes(PianoSynthesizerTests.Score(new MidiNote(-1, 1, 60, 80, 0, 1))));
        Assert.Throws<OptionsValidationException>(() => MidiWriter.ToBytes(PianoSynthesizerTests.Score(), new MidiWriterOptions { TicksPerQuarter = 0 }));
    }

    [Fact]
    public void Round_trip_through_the_reader_keeps_notes_within_half_a_tick_and_the_pedal()
    {
        var score = new MidiScore
        {
            Notes = [Note(0.1234, 0.6, 60, 90), Note(0.5, 0.7, 64, 70), new MidiNote(1.0, 1.3, 67, 100, 1, 1.3), Note(2.0, 2.2, 72, 50)],
            Tempos = [new TempoChange(0, 0, 600_000)], // 100 BPM
            TimeSignatures = [new TimeSignature(0, 0, 3, 4)],
            Controls = [new ControlChange(1.9, 0, 64, 127), new ControlChange(3.0, 0, 64, 0)],
            Source = "test",
        };
        var back = MidiReader.Read(MidiWriter.ToBytes(score), "roundtrip");
        double halfTick = 0.6 / 480 / 2;
        Assert.Equal(score.Notes.Count, back.Notes.Count);
        for (int i = 0; i < score.Notes.Count; i++)
        {
            var (a, b) = (score.Notes[i], back.Notes[i]);
            Assert.Equal((a.Pitch, a.Velocity, a.Channel), (b.Pitch, b.Velocity, b.Channel));
            Assert.InRange(b.Onset - a.Onset, -halfTick, halfTick);
            Assert.InRange(b.Offset - a.Offset, -halfTick, halfTick);
        }
        // C5 released at 2.2 s under the pedal (down at 1.9 s) sounds until the pedal is lifted at 3.0 s.
        Assert.InRange(back.Notes[3].PedalOffset, 3.0 - halfTick, 3.0 + halfTick);
        Assert.Equal(100, back.Tempos[0].Bpm, 6);
        Assert.Equal((3, 4), (back.TimeSignatures[0].Numerator, back.TimeSignatures[0].Denominator));
        Assert.Equal(2, back.Controls.Count);
    }
}
