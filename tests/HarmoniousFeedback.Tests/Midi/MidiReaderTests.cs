using HarmoniousFeedback.Midi;
using Xunit;
using T = HarmoniousFeedback.Tests.Midi.SmfBuilder.Track;

namespace HarmoniousFeedback.Tests.Midi;

/// <summary>
/// Hand-built SMF bytes with hand-derived expectations. Unless a test says otherwise, division = 480 ticks per
/// quarter and the default tempo is 120 bpm, so one tick = 0.5 s / 480 = 1/960 s.
/// </summary>
public class MidiReaderTests
{
    private const double Eps = 1e-12; // times are exact sums of a few binary fractions; only rounding separates them

    private static void AssertNote(MidiNote n, double onset, double offset, int pitch, int velocity, int channel, double? pedalOffset = null)
    {
        Assert.Equal(pitch, n.Pitch);
        Assert.Equal(onset, n.Onset, Eps);
        Assert.Equal(offset, n.Offset, Eps);
        Assert.Equal(velocity, n.Velocity);
        Assert.Equal(channel, n.Channel);
        Assert.Equal(pedalOffset ?? offset, n.PedalOffset, Eps);
    }

    [Fact]
    public void Format0_default_tempo_running_status_and_velocity0_note_offs()
    {
        var bytes = new SmfBuilder(format: 0)
            .Add(new T()
                .On(0, 0, 60, 100)                 // 90 3C 64           tick 0
                .On(480, 0, 60, 0, running: true)   // 3C 00 (vel 0 = off) tick 480
                .On(0, 0, 64, 90, running: true)    // 40 5A              tick 480
                .Off(240, 0, 64)                    // 80 40 40           tick 720
                .On(0, 0, 67, 70, running: false)   // 90 43 46           tick 720
                .Off(960, 0, 67, 0, running: false) // 80 43 00           tick 1680
                .End())
            .Build();
        var s = MidiReader.Read(bytes, "f0.mid");
        Assert.Equal(0, s.Format);
        Assert.Equal(480, s.TicksPerQuarter);
        Assert.Equal(1, s.TrackCount);
        Assert.Equal("f0.mid", s.Source);
        Assert.Equal(3, s.Notes.Count);
        AssertNote(s.Notes[0], 0, 0.5, 60, 100, 0);
        AssertNote(s.Notes[1], 0.5, 0.75, 64, 90, 0);
        AssertNote(s.Notes[2], 0.75, 1.75, 67, 70, 0);
        var tempo = Assert.Single(s.Tempos);
        Assert.Equal(new TempoChange(0, 0, 500_000), tempo);
        Assert.Equal(120, tempo.Bpm, Eps);
    }

    [Fact]
    public void Tempo_changes_mid_piece_convert_ticks_to_seconds_piecewise()
    {
        // Tempo track: none at tick 0 (so 120 bpm), 60 bpm from tick 960 (t = 960/960 = 1 s),
        // 240 bpm from tick 1920 (t = 1 + 960·(1 s/480) = 3 s).
        var tempoTrack = new T().TimeSig(0, 3, 2).Tempo(960, 1_000_000).Tempo(960, 250_000).TimeSig(0, 6, 3).End();
        var music = new T()
            .On(480, 1, 60, 100)   // tick 480  → 0.5 s
            .Off(960, 1, 60)       // tick 1440 → 1 + 480·(1/480) = 2.0 s
            .On(360, 1, 64, 80)    // tick 1800 → 1 + 840/480 = 2.75 s
            .Off(600, 1, 64)       // tick 2400 → 3 + 480·(0.25 s/480) = 3.25 s
            .End();
        var s = MidiReader.Read(new SmfBuilder(format: 1).Add(tempoTrack).Add(music).Build());
        Assert.Equal(2, s.Notes.Count);
        AssertNote(s.Notes[0], 0.5, 2.0, 60, 100, 1);
        AssertNote(s.Notes[1], 2.75, 3.25, 64, 80, 1);
        Assert.Equal(
            new[] { new TempoChange(0, 0, 500_000), new TempoChange(960, 1.0, 1_000_000), new TempoChange(1920, 3.0, 250_000) },
            s.Tempos);
        Assert.Equal(new[] { new TimeSignature(0, 0, 3, 4), new TimeSignature(1920, 3.0, 6, 8) }, s.TimeSignatures);
    }

    [Fact]
    public void Sustain_pedal_extends_released_notes_until_pedal_up_or_restrike_per_channel()
    {
        var t = new T()
            .On(0, 0, 60, 100)       // tick 0
            .On(0, 1, 48, 90)        // channel 1, tick 0
            .Cc(240, 0, 64, 127)     // tick 240: ch0 pedal down
            .Cc(0, 1, 64, 63)        // ch1: 63 < 64 is "up"
            .Off(240, 0, 60)         // tick 480: released under the pedal
            .Off(0, 1, 48)           // tick 480: ch1 pedal up → no extension (ch0's pedal is not ch1's)
            .Cc(480, 0, 64, 0)       // tick 960: pedal up → 60 stops sounding at 1.0 s
            .On(0, 0, 62, 80)        // tick 960
            .Off(180, 0, 62)         // tick 1140: pedal up → PedalOffset = Offset
            .Cc(60, 0, 64, 64)       // tick 1200: 64 counts as down
            .On(0, 0, 64, 70)        // tick 1200
            .Off(240, 0, 64)         // tick 1440: released under the pedal …
            .On(240, 0, 64, 75)      // tick 1680: … and re-struck, which ends the held sound at 1.75 s
            .Off(240, 0, 64)         // tick 1920: released under the pedal
            .Cc(480, 0, 64, 0)       // tick 2400: pedal up → 2.5 s
            .End();
        var s = MidiReader.Read(new SmfBuilder(format: 0).Add(t).Build());
        Assert.Equal(5, s.Notes.Count);
        AssertNote(s.Notes[0], 0, 0.5, 48, 90, 1);
        AssertNote(s.Notes[1], 0, 0.5, 60, 100, 0, pedalOffset: 1.0);
        AssertNote(s.Notes[2], 1.0, 1.1875, 62, 80, 0);
        AssertNote(s.Notes[3], 1.25, 1.5, 64, 70, 0, pedalOffset: 1.75);
        AssertNote(s.Notes[4], 1.75, 2.0, 64, 75, 0, pedalOffset: 2.5);
        Assert.Equal(2.5, s.Duration, Eps);
        Assert.Equal(5, s.Controls.Count);
        Assert.Equal(new ControlChange(0.25, 0, 64, 127), s.Controls[0]);
        Assert.Equal(new ControlChange(0.25, 1, 64, 63), s.Controls[1]);
    }

    [Fact]
    public void Pedal_change_on_the_release_tick_counts_whatever_the_event_order()
    {
        // Pedal down on the same tick as the note-off (after it in the file): the state after that tick is "down".
        var down = new T().On(0, 0, 60, 100).Off(480, 0, 60).Cc(0, 0, 64, 127).Cc(480, 0, 64, 0).End();
        AssertNote(Assert.Single(MidiReader.Read(new SmfBuilder(format: 0).Add(down).Build()).Notes), 0, 0.5, 60, 100, 0, pedalOffset: 1.0);
        // Pedal up on the release tick (before it in the file): not held.
        var up = new T().Cc(0, 0, 64, 127).On(0, 0, 60, 100).Cc(480, 0, 64, 0).Off(0, 0, 60).End();
        AssertNote(Assert.Single(MidiReader.Read(new SmfBuilder(format: 0).Add(up).Build()).Notes), 0, 0.5, 60, 100, 0);
    }

    [Fact]
    public void Pedal_in_another_track_on_the_same_channel_holds_the_note()
    {
        // Format 1: the synthesizer sees one merged stream, so channel 0's pedal applies across tracks.
        var notes = new T().On(0, 0, 60, 100).Off(480, 0, 60).End();
        var pedal = new T().Cc(0, 0, 64, 127).Cc(1440, 0, 64, 0).End();
        var s = MidiReader.Read(new SmfBuilder(format: 1).Add(notes).Add(pedal).Build());
        AssertNote(Assert.Single(s.Notes), 0, 0.5, 60, 100, 0, pedalOffset: 1.5);
    }

    [Fact]
    public void Pedal_never_lifted_holds_to_the_end_of_the_file()
    {
        var t = new T().Cc(0, 0, 64, 100).On(0, 0, 60, 100).Off(480, 0, 60).End(1440); // end at tick 1920 = 2 s
        var s = MidiReader.Read(new SmfBuilder(format: 0).Add(t).Build());
        AssertNote(Assert.Single(s.Notes), 0, 0.5, 60, 100, 0, pedalOffset: 2.0);
    }

    [Fact]
    public void Overlapping_same_pitch_notes_close_first_in_first_out()
    {
        var t = new T()
            .On(0, 0, 60, 100)   // A at tick 0
            .On(240, 0, 60, 80)  // B at tick 240 (A still sounding)
            .Off(240, 0, 60)     // tick 480 closes the earliest open note, A
            .Off(480, 0, 60)     // tick 960 closes B
            .Off(100, 0, 60)     // a note-off with nothing open is ignored
            .End();
        var s = MidiReader.Read(new SmfBuilder(format: 0).Add(t).Build());
        Assert.Equal(2, s.Notes.Count);
        AssertNote(s.Notes[0], 0, 0.5, 60, 100, 0);
        AssertNote(s.Notes[1], 0.25, 1.0, 60, 80, 0);
    }

    [Fact]
    public void Unclosed_notes_end_at_track_end_and_zero_length_notes_are_dropped()
    {
        var t = new T()
            .On(0, 0, 67, 100)       // never released
            .On(100, 0, 65, 90)      // tick 100 …
            .Off(0, 0, 65)           // … released on the same tick: zero length, dropped
            .Raw(1820, 0xFF, 0x2F, 0x00); // End of Track at tick 1920 = 2 s
        var s = MidiReader.Read(new SmfBuilder(format: 0).Add(t).Build());
        AssertNote(Assert.Single(s.Notes), 0, 2.0, 67, 100, 0);
    }

    [Fact]
    public void Missing_end_of_track_ends_the_track_at_its_last_event()
    {
        var t = new T().On(0, 0, 67, 100).Cc(960, 0, 7, 100); // no FF 2F; last event at tick 960
        var s = MidiReader.Read(new SmfBuilder(format: 0).Add(t).Build());
        AssertNote(Assert.Single(s.Notes), 0, 1.0, 67, 100, 0);
    }

    [Fact]
    public void Sysex_and_meta_events_are_skipped_and_do_not_cancel_running_status()
    {
        var t = new T()
            .Name(0, "Piano")
            .Sysex(0, 0x7E, 0x7F, 0x09, 0x01, 0xF7)
            .Raw(0, 0xF7, 0x02, 0x01, 0x02)      // escape sysex
            .Program(0, 0, 0)
            .On(0, 0, 60, 100)
            .Name(240, "marker")                 // meta between running-status events
            .Raw(240, 60, 0)                     // running status 0x90, vel 0 → note-off at tick 480
            .Raw(0, 0xFF, 0x7F, 0x03, 0x00, 0x00, 0x41) // sequencer-specific meta
            .End();
        var s = MidiReader.Read(new SmfBuilder(format: 0).Add(t).Build());
        AssertNote(Assert.Single(s.Notes), 0, 0.5, 60, 100, 0);
    }

    [Fact]
    public void Format1_notes_from_all_tracks_are_sorted_by_onset_then_pitch_and_unknown_chunks_skipped()
    {
        var meta = new T().Tempo(0, 600_000).End(); // 100 bpm: one tick = 0.6 s / 480 = 1/800 s
        var a = new T().On(400, 0, 72, 90).Off(400, 0, 72).On(0, 0, 55, 60).Off(800, 0, 55).End();
        var b = new T().On(0, 2, 40, 50).Off(400, 2, 40).On(0, 2, 50, 51).Off(800, 2, 50).End();
        var bytes = new SmfBuilder(format: 1).Add(meta).AddChunk("XFIH", [1, 2, 3]).Add(a).Add(b).Build();
        var s = MidiReader.Read(bytes);
        Assert.Equal(3, s.TrackCount);
        Assert.Equal(4, s.Notes.Count);
        AssertNote(s.Notes[0], 0, 0.5, 40, 50, 2);
        AssertNote(s.Notes[1], 0.5, 1.5, 50, 51, 2);
        AssertNote(s.Notes[2], 0.5, 1.0, 72, 90, 0);
        AssertNote(s.Notes[3], 1.0, 2.0, 55, 60, 0);
    }

    [Fact]
    public void Same_pitch_on_the_same_channel_in_two_tracks_is_matched_per_track()
    {
        var a = new T().On(0, 0, 60, 100).Off(960, 0, 60).End();
        var b = new T().On(480, 0, 60, 50).Off(960, 0, 60).End();
        var s = MidiReader.Read(new SmfBuilder(format: 1).Add(a).Add(b).Build());
        AssertNote(s.Notes[0], 0, 1.0, 60, 100, 0);
        AssertNote(s.Notes[1], 0.5, 1.5, 60, 50, 0);
    }

    [Fact]
    public void Smpte_division_uses_frames_per_second_times_ticks_per_frame()
    {
        // 0xE7 = −25 fps, 40 ticks per frame → 1000 ticks per second; tempo events do not change timing.
        var t = new T().Tempo(0, 1_000_000).On(500, 0, 60, 100).Off(1000, 0, 60).End();
        var s = MidiReader.Read(new SmfBuilder(format: 0, division: 0xE728).Add(t).Build());
        Assert.Equal(0, s.TicksPerQuarter);
        AssertNote(Assert.Single(s.Notes), 0.5, 1.5, 60, 100, 0);
    }

    [Fact]
    public void Multiple_tempo_events_on_one_tick_last_wins()
    {
        var t = new T().Tempo(0, 1_000_000).Tempo(0, 250_000).On(0, 0, 60, 1).Off(480, 0, 60).End();
        var s = MidiReader.Read(new SmfBuilder(format: 0).Add(t).Build());
        Assert.Equal(new TempoChange(0, 0, 250_000), Assert.Single(s.Tempos));
        AssertNote(Assert.Single(s.Notes), 0, 0.25, 60, 1, 0);
    }

    [Fact]
    public void Long_delta_times_use_multi_byte_variable_length_quantities()
    {
        // 0x0FFFFFFF ticks (the 4-byte maximum) then a note; 120 bpm at 480 TPQ → 268435455/960 s.
        var t = new T().On(0x0FFFFFFF, 0, 60, 100).Off(480, 0, 60).End();
        var s = MidiReader.Read(new SmfBuilder(format: 0).Add(t).Build());
        AssertNote(Assert.Single(s.Notes), 0x0FFFFFFF / 960.0, (0x0FFFFFFF + 480) / 960.0, 60, 100, 0);
    }

    // ---- bad input: typed errors naming the file and the byte offset ----

    private static MidiFormatException Bad(byte[] bytes)
    {
        var e = Assert.Throws<MidiFormatException>(() => MidiReader.Read(bytes, "bad.mid"));
        Assert.Equal("bad.mid", e.Path);
        Assert.StartsWith("bad.mid: ", e.Message);
        return e;
    }

    private static byte[] OneTrack(T t, int format = 0) => new SmfBuilder(format).Add(t).Build();

    [Fact]
    public void Missing_MThd_is_rejected()
    {
        Assert.Contains("missing 'MThd'", Bad("MTrk\0\0\0\0hello world!"u8.ToArray()).Message);
        Assert.Contains("empty", Bad([]).Message);
    }

    [Fact]
    public void Track_chunk_length_past_end_of_file_names_the_offset()
    {
        var bytes = OneTrack(new T().On(0, 0, 60, 100).Off(10, 0, 60).End());
        bytes[14 + 7] += 5; // MTrk length (header is 14 bytes; length field at 18..21)
        var e = Bad(bytes);
        Assert.Contains("'MTrk' at byte offset 14", e.Message);
        Assert.Contains("declares", e.Message);
    }

    [Fact]
    public void Trailing_garbage_after_the_declared_tracks_is_ignored_but_not_before_them()
    {
        // 00 00 "ga" then "rbag…": parsed as a chunk with id 00 00 "ga" and length "rbag" = 0x72626167, far past the end of the file.
        byte[] garbage = [0, 0, .. System.Text.Encoding.ASCII.GetBytes("garbage trailing bytes"), 0xFF, 0xFF];
        var music = new T().On(0, 0, 60, 100).Off(480, 0, 60).On(0, 0, 64, 90).Off(240, 0, 64).End();
        var clean = new SmfBuilder(format: 0).Add(music).Build();
        var s = MidiReader.Read([.. clean, .. garbage], "trailing.mid");
        Assert.Equal(2, s.Notes.Count);
        AssertNote(s.Notes[0], 0, 0.5, 60, 100, 0);
        AssertNote(s.Notes[1], 0.5, 0.75, 64, 90, 0);

        // The header promises a second track: the same bytes are then a broken chunk, not trailing garbage.
        var promised = new SmfBuilder(format: 1).DeclareTracks(2).Add(music).Build();
        var e = Bad([.. promised, .. garbage]);
        Assert.Contains("chunk '??ga' at byte offset " + promised.Length + " declares 1919050087 bytes", e.Message);
    }

    [Fact]
    public void Riff_files_say_whether_they_are_wav_audio_or_rmid()
    {
        // Before: a WAV passed as the score was called "RIFF-wrapped MIDI (RMID)".
        byte[] wav = [.. "RIFF"u8, 36, 0, 0, 0, .. "WAVE"u8, .. "fmt "u8, 16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1F, 0, 0, 0x80, 0x3E, 0, 0, 2, 0, 16, 0, .. "data"u8, 0, 0, 0, 0];
        Assert.Equal("bad.mid: is a WAV audio file (RIFF/WAVE), not a Standard MIDI File; a score must be a .mid file starting with 'MThd'", Bad(wav).Message);
        var smf = OneTrack(new T().On(0, 0, 60, 100).Off(10, 0, 60).End());
        byte[] rmid = [.. "RIFF"u8, (byte)(12 + smf.Length), 0, 0, 0, .. "RMID"u8, .. "data"u8, (byte)smf.Length, 0, 0, 0, .. smf];
        Assert.Contains("RIFF-wrapped MIDI (RMID) is not supported; extract the 'data' chunk", Bad(rmid).Message);
        Assert.Contains("not a Standard MIDI File: missing 'MThd'", Bad([.. "RIFF"u8, 4, 0, 0, 0, .. "AVI "u8]).Message);
    }

    [Fact]
    public void Folder_passed_as_a_midi_file_is_a_typed_error_that_says_so()
    {
        var dir = TestPaths.TempDir("midi-folder");
        var e = Assert.Throws<MidiFormatException>(() => MidiReader.Read(dir));
        Assert.Equal(dir, e.Path);
        Assert.Contains("is a folder, not a MIDI file", e.Message);
    }

    [Fact]
    public void No_track_chunks_and_zero_declared_tracks_are_rejected()
    {
        Assert.Contains("no 'MTrk'", Bad(new SmfBuilder().DeclareTracks(1).AddChunk("XXXX", [1]).Build()).Message);
        Assert.Contains("0 tracks", Bad(new SmfBuilder().DeclareTracks(0).Add(new T().End()).Build()).Message);
    }

    [Fact]
    public void Truncated_variable_length_quantity_is_rejected_with_offset()
    {
        // Track body: 00 90 3C 64 | 81 (delta time cut off). Body starts at byte 22; the 0x81 is at 26.
        var e = Bad(SmfBuilder.Chunk("MThd", [0, 0, 0, 1, 1, 0xE0]).Concat(SmfBuilder.Chunk("MTrk", [0x00, 0x90, 0x3C, 0x64, 0x81])).ToArray());
        Assert.Contains("delta time", e.Message);
        Assert.Contains("byte offset 26", e.Message);
    }

    [Fact]
    public void Overlong_variable_length_quantity_is_rejected()
    {
        var bytes = SmfBuilder.Chunk("MThd", [0, 0, 0, 1, 1, 0xE0]).Concat(SmfBuilder.Chunk("MTrk", [0x81, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 1])).ToArray();
        Assert.Contains("longer than 4 bytes", Bad(bytes).Message);
    }

    [Fact]
    public void Truncated_event_and_running_status_without_status_are_rejected()
    {
        var cut = SmfBuilder.Chunk("MThd", [0, 0, 0, 1, 1, 0xE0]).Concat(SmfBuilder.Chunk("MTrk", [0x00, 0x90, 0x3C])).ToArray();
        var e = Bad(cut);
        Assert.Contains("cut off", e.Message);
        Assert.Contains("byte offset 22", e.Message);
        var noStatus = SmfBuilder.Chunk("MThd", [0, 0, 0, 1, 1, 0xE0]).Concat(SmfBuilder.Chunk("MTrk", [0x00, 0x3C, 0x40])).ToArray();
        Assert.Contains("no running status", Bad(noStatus).Message);
        var metaCut = OneTrack(new T().Raw(0, 0xFF, 0x03, 0x10, 0x41));
        Assert.Contains("meta event 0x03 declares 16 bytes", Bad(metaCut).Message);
        var sysexCut = OneTrack(new T().Raw(0, 0xF0, 0x7F));
        Assert.Contains("sysex event declares 127 bytes", Bad(sysexCut).Message);
    }

    [Fact]
    public void Format2_bad_tempo_and_bad_time_signature_are_rejected()
    {
        Assert.Contains("format 2", Bad(new SmfBuilder(format: 2).Add(new T().End()).Build()).Message);
        Assert.Contains("Set Tempo of 0", Bad(OneTrack(new T().Tempo(0, 0).End())).Message);
        Assert.Contains("3 are required", Bad(OneTrack(new T().Raw(0, 0xFF, 0x51, 0x02, 1, 2).End())).Message);
        Assert.Contains("Time Signature", Bad(OneTrack(new T().TimeSig(0, 4, 9).End())).Message);
        Assert.Contains("frames per second", Bad(new SmfBuilder(format: 0, division: 0xF028).Add(new T().End()).Build()).Message);
        Assert.Contains("0 ticks per quarter", Bad(new SmfBuilder(format: 0, division: 0).Add(new T().End()).Build()).Message);
    }

    [Fact]
    public void Missing_file_is_a_typed_error()
    {
        var path = Path.Combine(TestPaths.TempDir(), "nope.mid");
        var e = Assert.Throws<MidiFormatException>(() => MidiReader.Read(path));
        Assert.Contains("not found", e.Message);
        Assert.Equal(path, e.Path);
    }
}
