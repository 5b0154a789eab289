namespace HarmoniousFeedback.Midi;

/// <summary>
/// Standard MIDI File (SMF) reader: parses format 0 and format 1 files into a <see cref="MidiScore"/> with every
/// time in seconds.
/// <para><b>Timing.</b> Metrical division (ticks per quarter note, TPQ): the tempo map is built from the Set Tempo
/// meta events (FF 51) of <i>all</i> tracks (a synthesizer playing the merged stream honours them wherever they are;
/// pretty_midi reads only track 0, which differs only for files that break the spec's "tempo map in the first track"
/// rule). Without a tempo event at tick 0 the tempo is 120 bpm (500,000 µs per quarter) until the first one.
/// Seconds are exact piecewise-linear sums: <c>t(k) = t(k_i) + (k − k_i) · µs_i / (10^6 · TPQ)</c> for the last tempo
/// change <c>k_i ≤ k</c>; several tempo events on one tick: the last one (track order, then file order) wins.
/// SMPTE division (high bit of the division word set): <c>t(k) = k / (fps · ticksPerFrame)</c> with fps 24, 25,
/// 29.97 (code −29) or 30; tempo events are then reported but do not change timing, and
/// <see cref="MidiScore.TicksPerQuarter"/> is 0.</para>
/// <para><b>Format 2</b> (independent sequences) is rejected with <see cref="MidiFormatException"/>: it has no single
/// timeline, and no emotion corpus uses it.</para>
/// <para><b>Notes.</b> A note-on with velocity 0 is a note-off. Notes are matched per (track, channel, pitch); when the
/// same pitch is struck again before it was released (overlapping same-pitch notes), a note-off closes the
/// <i>earliest</i> open note (FIFO, the rule this project adopts; current pretty_midi instead closes every open note of
/// that key begun before the note-off's tick — the two differ only when a note-off finds two or more notes of its key
/// open that began before its tick). A note whose note-off falls on its own onset tick (zero length) is dropped, as
/// pretty_midi does. A note never released ends at its track's end (the End of Track event, or the last event when
/// that is missing). A note-off with nothing open is ignored. Notes are sorted by onset, then pitch, then channel.</para>
/// <para><b>Sustain pedal.</b> Controller 64 per MIDI channel (merged over tracks, as a synthesizer sees it): value ≥ 64
/// is down. A note released while its channel's pedal is down keeps sounding until the pedal is lifted, or until the
/// same pitch is struck again on that channel, whichever is first (the convention of the MAESTRO/Onsets-and-Frames
/// sustain extension); a pedal never lifted holds to the end of the file. That time is
/// <see cref="MidiNote.PedalOffset"/>; without the pedal it equals <see cref="MidiNote.Offset"/>.</para>
/// <para><b>Events.</b> Running status is honoured for channel messages; meta (FF) and sysex (F0/F7) events neither
/// set nor cancel it (lenient: mido also keeps it across meta events; the specification says sysex and meta cancel
/// it, so a conforming file never relies on either behaviour). Sysex and meta events other than tempo, time signature and End of Track
/// are skipped by their declared length. Unknown (non-MTrk) chunks are skipped, as the specification requires; fewer
/// than 8 trailing bytes after the last chunk are ignored, and so are trailing bytes that do not form a whole chunk once
/// the declared number of MTrk chunks has been read (padding or garbage some tools append; mido stops there too). The header's track count is informational: every MTrk chunk
/// present is read.</para>
/// <para><b>Errors.</b> Missing MThd, a header shorter than 6 bytes, format &gt; 2 or format 2, division 0, no MTrk
/// chunk, a chunk whose length runs past the end of the file, a variable-length quantity longer than 4 bytes or cut
/// off, an event cut off by its track's end, running status with no previous status, a data byte ≥ 0x80, system
/// common/real-time status bytes (F1–F6, F8–FE) in a track, a tempo of 0 µs or a malformed tempo/time-signature event
/// raise <see cref="MidiFormatException"/> naming the file and the byte offset.</para>
/// </summary>
public static class MidiReader
{
    /// <summary>Reads a Standard MIDI File from disk; see <see cref="MidiReader"/> for the rules.</summary>
    public static MidiScore Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(ReadFileBytes(path), path);
    }

    /// <summary>
    /// The bytes of <paramref name="path"/>, read once (<see cref="IO.InputFile"/>: a pipe works, <c>/dev/zero</c> is empty);
    /// a folder, a missing or unreadable file is a <see cref="MidiFormatException"/>. For callers that need the bytes too
    /// (a renderer): parse them with <see cref="Read(ReadOnlySpan{byte}, string)"/>.
    /// </summary>
    public static byte[] ReadFileBytes(string path)
        => IO.InputFile.ReadAllBytes(path, "a MIDI file (expected a Standard MIDI File, .mid)", (problem, inner) => new MidiFormatException(path, problem, inner));

    /// <summary>Reads SMF bytes; <paramref name="source"/> names the input in errors and in <see cref="MidiScore.Source"/>.</summary>
    public static MidiScore Read(ReadOnlySpan<byte> data, string source = "memory")
    {
        var parsed = MidiParser.Parse(data, source);
        return MidiScoreBuilder.Build(parsed, source);
    }
}
