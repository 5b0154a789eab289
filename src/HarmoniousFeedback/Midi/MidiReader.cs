using System.Buffers.Binary;

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
/// than 8 trailing bytes after the last chunk are ignored. The header's track count is informational: every MTrk chunk
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
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException e) { throw new MidiFormatException(path, "file not found", e); }
        catch (DirectoryNotFoundException e) { throw new MidiFormatException(path, "file not found", e); }
        catch (UnauthorizedAccessException e) { throw new MidiFormatException(path, "file cannot be read (permission denied)", e); }
        catch (IOException e) { throw new MidiFormatException(path, "file cannot be read: " + e.Message, e); }
        return Read(bytes, path);
    }

    /// <summary>Reads SMF bytes; <paramref name="source"/> names the input in errors and in <see cref="MidiScore.Source"/>.</summary>
    public static MidiScore Read(ReadOnlySpan<byte> data, string source = "memory")
    {
        var parsed = MidiParser.Parse(data, source);
        return MidiScoreBuilder.Build(parsed, source);
    }
}

/// <summary>Kinds of events the parser keeps (everything else is skipped while parsing).</summary>
internal enum MidiEventKind : byte
{
    NoteOn,
    NoteOff,
    Control,
    Tempo,
    TimeSignature,
    EndOfTrack,
}

/// <summary>One parsed event at an absolute tick. <c>Value</c> holds µs/quarter for tempo, numerator for time signatures.</summary>
internal readonly record struct MidiRawEvent(long Tick, MidiEventKind Kind, byte Channel, byte Data1, byte Data2, int Value);

/// <summary>The parsed file: header fields and the kept events of each track in file order.</summary>
internal sealed record MidiParsedFile(int Format, int Division, List<List<MidiRawEvent>> Tracks);

/// <summary>Byte-level SMF parser; every failure is a <see cref="MidiFormatException"/> naming the byte offset.</summary>
internal static class MidiParser
{
    public static MidiParsedFile Parse(ReadOnlySpan<byte> d, string source)
    {
        if (d.Length == 0) throw new MidiFormatException(source, "file is empty (0 bytes); expected a Standard MIDI File starting with 'MThd'");
        if (d.Length < 14 || !d[..4].SequenceEqual("MThd"u8))
        {
            if (d.Length >= 4 && d[..4].SequenceEqual("RIFF"u8))
                throw new MidiFormatException(source, "RIFF-wrapped MIDI (RMID) is not supported; extract the 'data' chunk to a .mid file");
            if (d.Length < 4 || !d[..4].SequenceEqual("MThd"u8))
                throw new MidiFormatException(source, "not a Standard MIDI File: missing 'MThd' header chunk at byte offset 0");
            throw new MidiFormatException(source, $"file is {d.Length} bytes, too short for the 14-byte 'MThd' header");
        }
        uint headerLen = BinaryPrimitives.ReadUInt32BigEndian(d[4..]);
        if (headerLen < 6)
            throw new MidiFormatException(source, $"'MThd' chunk length {headerLen} at byte offset 4 is less than the required 6");
        if (headerLen > d.Length - 8)
            throw new MidiFormatException(source, $"'MThd' chunk length {headerLen} at byte offset 4 runs past the end of the file ({d.Length} bytes)");
        int format = BinaryPrimitives.ReadUInt16BigEndian(d[8..]);
        int declaredTracks = BinaryPrimitives.ReadUInt16BigEndian(d[10..]);
        int division = BinaryPrimitives.ReadUInt16BigEndian(d[12..]);
        if (format == 2)
            throw new MidiFormatException(source, "SMF format 2 (independent sequences) is not supported; only formats 0 and 1 have a single timeline");
        if (format > 2)
            throw new MidiFormatException(source, $"SMF format {format} at byte offset 8 is not defined (allowed: 0, 1)");
        if (declaredTracks == 0)
            throw new MidiFormatException(source, "'MThd' declares 0 tracks (byte offset 10); a MIDI file needs at least one MTrk chunk");
        if ((division & 0x8000) == 0 && division == 0)
            throw new MidiFormatException(source, "time division is 0 ticks per quarter note (byte offset 12)");
        if ((division & 0x8000) != 0)
        {
            int fps = -(sbyte)(division >> 8);
            if (fps is not (24 or 25 or 29 or 30))
                throw new MidiFormatException(source, $"SMPTE time division has {fps} frames per second (byte offset 12); allowed: 24, 25, 29 (29.97 drop-frame), 30");
            if ((division & 0xFF) == 0)
                throw new MidiFormatException(source, "SMPTE time division has 0 ticks per frame (byte offset 13)");
        }

        var tracks = new List<List<MidiRawEvent>>();
        long pos = 8 + headerLen;
        while (d.Length - pos >= 8)
        {
            int p = (int)pos;
            var id = d.Slice(p, 4);
            uint len = BinaryPrimitives.ReadUInt32BigEndian(d[(p + 4)..]);
            long body = pos + 8;
            if (len > d.Length - body)
                throw new MidiFormatException(source,
                    $"chunk '{ChunkName(id)}' at byte offset {p} declares {len} bytes but only {d.Length - body} remain (truncated file or bad chunk length)");
            if (id.SequenceEqual("MTrk"u8))
                tracks.Add(ParseTrack(d.Slice((int)body, (int)len), (int)body, tracks.Count, source));
            pos = body + len;
        }
        if (tracks.Count == 0)
            throw new MidiFormatException(source, $"no 'MTrk' track chunk found (header declares {declaredTracks})");
        return new MidiParsedFile(format, division, tracks);
    }

    private static string ChunkName(ReadOnlySpan<byte> id)
    {
        Span<char> c = stackalloc char[4];
        for (int i = 0; i < 4; i++) c[i] = id[i] is >= 0x20 and < 0x7F ? (char)id[i] : '?';
        return new string(c);
    }

    private static List<MidiRawEvent> ParseTrack(ReadOnlySpan<byte> t, int baseOffset, int trackIndex, string source)
    {
        var events = new List<MidiRawEvent>(Math.Min(t.Length / 3 + 1, 1 << 16));
        int i = 0;
        long tick = 0;
        int running = 0;
        while (i < t.Length)
        {
            int eventStart = i;
            tick += ReadVarInt(t, ref i, baseOffset, trackIndex, source, "delta time");
            if (i >= t.Length)
                throw Error(source, baseOffset + eventStart, trackIndex, "event cut off after its delta time by the end of the track chunk");
            int status = t[i];
            if (status == 0xFF)
            {
                i++;
                if (i >= t.Length) throw Error(source, baseOffset + eventStart, trackIndex, "meta event cut off before its type byte");
                int type = t[i++];
                int lenAt = i;
                long len = ReadVarInt(t, ref i, baseOffset, trackIndex, source, "meta event length");
                if (len > t.Length - i)
                    throw Error(source, baseOffset + lenAt, trackIndex, $"meta event 0x{type:X2} declares {len} bytes but only {t.Length - i} remain in the track");
                var body = t.Slice(i, (int)len);
                switch (type)
                {
                    case 0x2F:
                        events.Add(new MidiRawEvent(tick, MidiEventKind.EndOfTrack, 0, 0, 0, 0));
                        return events; // anything after End of Track is ignored
                    case 0x51:
                    {
                        if (len != 3)
                            throw Error(source, baseOffset + eventStart, trackIndex, $"Set Tempo meta event has {len} data bytes; 3 are required");
                        int us = (body[0] << 16) | (body[1] << 8) | body[2];
                        if (us == 0) throw Error(source, baseOffset + eventStart, trackIndex, "Set Tempo of 0 µs per quarter note");
                        events.Add(new MidiRawEvent(tick, MidiEventKind.Tempo, 0, 0, 0, us));
                        break;
                    }
                    case 0x58:
                    {
                        if (len < 2)
                            throw Error(source, baseOffset + eventStart, trackIndex, $"Time Signature meta event has {len} data bytes; at least 2 are required");
                        if (body[0] == 0 || body[1] > 6)
                            throw Error(source, baseOffset + eventStart, trackIndex,
                                $"Time Signature {body[0]}/2^{body[1]} is not valid (numerator ≥ 1, denominator power 0..6)");
                        events.Add(new MidiRawEvent(tick, MidiEventKind.TimeSignature, 0, body[0], body[1], 0));
                        break;
                    }
                }
                i += (int)len;
            }
            else if (status is 0xF0 or 0xF7)
            {
                i++;
                int lenAt = i;
                long len = ReadVarInt(t, ref i, baseOffset, trackIndex, source, "sysex length");
                if (len > t.Length - i)
                    throw Error(source, baseOffset + lenAt, trackIndex, $"sysex event declares {len} bytes but only {t.Length - i} remain in the track");
                i += (int)len;
            }
            else if (status > 0xF0)
            {
                throw Error(source, baseOffset + i, trackIndex, $"status byte 0x{status:X2} (system common/real-time) is not allowed in a MIDI file track");
            }
            else
            {
                if (status >= 0x80) { running = status; i++; }
                else if (running == 0)
                    throw Error(source, baseOffset + i, trackIndex, $"data byte 0x{status:X2} with no running status (no previous channel message)");
                int kind = running & 0xF0;
                int nData = kind is 0xC0 or 0xD0 ? 1 : 2;
                if (t.Length - i < nData)
                    throw Error(source, baseOffset + eventStart, trackIndex, $"channel message 0x{running:X2} cut off by the end of the track chunk");
                byte a = t[i], b = nData == 2 ? t[i + 1] : (byte)0;
                if (a >= 0x80 || b >= 0x80)
                    throw Error(source, baseOffset + i, trackIndex, $"channel message 0x{running:X2} has a data byte ≥ 0x80 (0x{Math.Max(a, b):X2})");
                i += nData;
                byte ch = (byte)(running & 0x0F);
                switch (kind)
                {
                    case 0x90:
                        events.Add(new MidiRawEvent(tick, b == 0 ? MidiEventKind.NoteOff : MidiEventKind.NoteOn, ch, a, b, 0));
                        break;
                    case 0x80:
                        events.Add(new MidiRawEvent(tick, MidiEventKind.NoteOff, ch, a, b, 0));
                        break;
                    case 0xB0:
                        events.Add(new MidiRawEvent(tick, MidiEventKind.Control, ch, a, b, 0));
                        break;
                }
            }
        }
        return events; // no End of Track: the track ends with its chunk (tolerated)
    }

    /// <summary>Reads a variable-length quantity (at most 4 bytes, 28 bits) at <paramref name="i"/>.</summary>
    private static long ReadVarInt(ReadOnlySpan<byte> t, ref int i, int baseOffset, int trackIndex, string source, string what)
    {
        int start = i;
        long v = 0;
        for (int k = 0; k < 4; k++)
        {
            if (i >= t.Length)
                throw Error(source, baseOffset + start, trackIndex, $"{what} (variable-length quantity) cut off by the end of the track chunk");
            byte b = t[i++];
            v = (v << 7) | (uint)(b & 0x7F);
            if ((b & 0x80) == 0) return v;
        }
        throw Error(source, baseOffset + start, trackIndex, $"{what} (variable-length quantity) is longer than 4 bytes");
    }

    private static MidiFormatException Error(string source, int offset, int track, string problem)
        => new(source, $"{problem} (byte offset {offset}, track {track})");
}

/// <summary>Turns parsed events into a <see cref="MidiScore"/>: tempo map, note matching, pedal extension.</summary>
internal static class MidiScoreBuilder
{
    private const int DefaultMicrosecondsPerQuarter = 500_000; // 120 bpm

    public static MidiScore Build(MidiParsedFile f, string source)
    {
        bool smpte = (f.Division & 0x8000) != 0;
        int tpq = smpte ? 0 : f.Division;
        double smpteTicksPerSecond = 0;
        if (smpte)
        {
            int fps = -(sbyte)(f.Division >> 8);
            smpteTicksPerSecond = (fps == 29 ? 30000.0 / 1001.0 : fps) * (f.Division & 0xFF);
        }

        // Gather tempo events over all tracks; sorting by (tick, track, index) makes "last on a tick wins" well defined.
        var tempoEvents = new List<(long Tick, int Track, int Index, int Us)>();
        var sigEvents = new List<(long Tick, int Track, int Index, int Num, int Den)>();
        long fileEnd = 0;
        for (int tr = 0; tr < f.Tracks.Count; tr++)
        {
            var evs = f.Tracks[tr];
            for (int k = 0; k < evs.Count; k++)
            {
                var e = evs[k];
                if (e.Kind == MidiEventKind.Tempo) tempoEvents.Add((e.Tick, tr, k, e.Value));
                else if (e.Kind == MidiEventKind.TimeSignature) sigEvents.Add((e.Tick, tr, k, e.Data1, 1 << e.Data2));
            }
            if (evs.Count > 0) fileEnd = Math.Max(fileEnd, evs[^1].Tick);
        }
        tempoEvents.Sort((a, b) => a.Tick != b.Tick ? a.Tick.CompareTo(b.Tick) : a.Track != b.Track ? a.Track.CompareTo(b.Track) : a.Index.CompareTo(b.Index));

        var tempoTicks = new List<long>();
        var tempoUs = new List<int>();
        if (tempoEvents.Count == 0 || tempoEvents[0].Tick > 0) { tempoTicks.Add(0); tempoUs.Add(DefaultMicrosecondsPerQuarter); }
        foreach (var te in tempoEvents)
        {
            if (tempoTicks.Count > 0 && tempoTicks[^1] == te.Tick) tempoUs[^1] = te.Us;
            else { tempoTicks.Add(te.Tick); tempoUs.Add(te.Us); }
        }
        var tempoSeconds = new double[tempoTicks.Count];
        for (int k = 1; k < tempoTicks.Count; k++)
            tempoSeconds[k] = smpte
                ? tempoTicks[k] / smpteTicksPerSecond
                : tempoSeconds[k - 1] + (tempoTicks[k] - tempoTicks[k - 1]) * (tempoUs[k - 1] / (1e6 * tpq));
        long[] tTicks = tempoTicks.ToArray();
        int[] tUs = tempoUs.ToArray();

        double Seconds(long tick)
        {
            if (smpte) return tick / smpteTicksPerSecond;
            int idx = Array.BinarySearch(tTicks, tick);
            if (idx < 0) idx = ~idx - 1;
            return tempoSeconds[idx] + (tick - tTicks[idx]) * (tUs[idx] / (1e6 * tpq));
        }

        var tempos = new TempoChange[tTicks.Length];
        for (int k = 0; k < tTicks.Length; k++) tempos[k] = new TempoChange(tTicks[k], tempoSeconds[k], tUs[k]);

        sigEvents.Sort((a, b) => a.Tick != b.Tick ? a.Tick.CompareTo(b.Tick) : a.Track != b.Track ? a.Track.CompareTo(b.Track) : a.Index.CompareTo(b.Index));
        var sigs = new List<TimeSignature>(sigEvents.Count);
        foreach (var s in sigEvents)
        {
            var ts = new TimeSignature(s.Tick, Seconds(s.Tick), s.Num, s.Den);
            if (sigs.Count > 0 && sigs[^1].Tick == s.Tick) sigs[^1] = ts; else sigs.Add(ts);
        }

        // Controllers (all), and the sustain pedal per channel as (tick, track, index, down).
        var controlEvents = new List<(long Tick, int Track, int Index, MidiRawEvent E)>();
        for (int tr = 0; tr < f.Tracks.Count; tr++)
        {
            var evs = f.Tracks[tr];
            for (int k = 0; k < evs.Count; k++)
                if (evs[k].Kind == MidiEventKind.Control) controlEvents.Add((evs[k].Tick, tr, k, evs[k]));
        }
        controlEvents.Sort((a, b) => a.Tick != b.Tick ? a.Tick.CompareTo(b.Tick) : a.Track != b.Track ? a.Track.CompareTo(b.Track) : a.Index.CompareTo(b.Index));
        var controls = new ControlChange[controlEvents.Count];
        var pedalLists = new List<(long Tick, bool Down)>[16];
        for (int c = 0; c < 16; c++) pedalLists[c] = new List<(long, bool)>();
        for (int k = 0; k < controlEvents.Count; k++)
        {
            var e = controlEvents[k].E;
            controls[k] = new ControlChange(Seconds(e.Tick), e.Channel, e.Data1, e.Data2);
            if (e.Data1 == 64) pedalLists[e.Channel].Add((e.Tick, e.Data2 >= 64));
        }
        var pedal = new PedalTrack[16];
        for (int c = 0; c < 16; c++) pedal[c] = new PedalTrack(pedalLists[c], fileEnd);

        // Note matching per (track, channel, pitch), FIFO.
        var notesTicks = new List<(long On, long Off, int Pitch, int Velocity, int Channel)>();
        var open = new Queue<(long Tick, int Velocity)>?[16 * 128];
        for (int tr = 0; tr < f.Tracks.Count; tr++)
        {
            Array.Clear(open);
            var evs = f.Tracks[tr];
            foreach (var e in evs)
            {
                if (e.Kind == MidiEventKind.NoteOn)
                    (open[e.Channel * 128 + e.Data1] ??= new Queue<(long, int)>()).Enqueue((e.Tick, e.Data2));
                else if (e.Kind == MidiEventKind.NoteOff)
                {
                    var q = open[e.Channel * 128 + e.Data1];
                    if (q is null || q.Count == 0) continue;
                    var (on, vel) = q.Dequeue();
                    if (e.Tick > on) notesTicks.Add((on, e.Tick, e.Data1, vel, e.Channel));
                }
            }
            long trackEnd = evs.Count > 0 ? evs[^1].Tick : 0;
            for (int key = 0; key < open.Length; key++)
            {
                var q = open[key];
                if (q is null) continue;
                while (q.Count > 0)
                {
                    var (on, vel) = q.Dequeue();
                    if (trackEnd > on) notesTicks.Add((on, trackEnd, key % 128, vel, key / 128));
                }
            }
        }

        // Onsets per (channel, pitch), sorted, for "a re-strike ends the pedal-held sound".
        var onsetsByKey = new Dictionary<int, List<long>>();
        foreach (var n in notesTicks)
        {
            int key = n.Channel * 128 + n.Pitch;
            if (!onsetsByKey.TryGetValue(key, out var list)) onsetsByKey[key] = list = new List<long>();
            list.Add(n.On);
        }
        foreach (var list in onsetsByKey.Values) list.Sort();

        var notes = new MidiNote[notesTicks.Count];
        for (int k = 0; k < notesTicks.Count; k++)
        {
            var n = notesTicks[k];
            long soundEnd = pedal[n.Channel].SoundEnd(n.Off);
            if (soundEnd > n.Off)
            {
                var ons = onsetsByKey[n.Channel * 128 + n.Pitch];
                int idx = ons.BinarySearch(n.Off);
                idx = idx < 0 ? ~idx : idx; // first onset at or after the key release
                if (idx < ons.Count && ons[idx] < soundEnd) soundEnd = ons[idx];
            }
            double offSec = Seconds(n.Off);
            notes[k] = new MidiNote(Seconds(n.On), offSec, n.Pitch, n.Velocity, n.Channel, soundEnd > n.Off ? Seconds(soundEnd) : offSec);
        }
        Array.Sort(notes, static (a, b) =>
        {
            int c = a.Onset.CompareTo(b.Onset);
            if (c != 0) return c;
            c = a.Pitch.CompareTo(b.Pitch);
            if (c != 0) return c;
            c = a.Channel.CompareTo(b.Channel);
            return c != 0 ? c : a.Offset.CompareTo(b.Offset);
        });

        return new MidiScore
        {
            Notes = notes,
            Tempos = tempos,
            TimeSignatures = sigs,
            Controls = controls,
            Format = f.Format,
            TicksPerQuarter = tpq,
            TrackCount = f.Tracks.Count,
            Source = source,
        };
    }

    /// <summary>
    /// One channel's sustain pedal as sorted CC64 ticks with, for each, the tick of the first pedal-up after it
    /// (precomputed backwards so a lookup is one binary search even for transcriptions with thousands of CC64 values).
    /// </summary>
    private sealed class PedalTrack
    {
        private readonly long[] _ticks;
        private readonly bool[] _down;
        private readonly long[] _nextUp;

        public PedalTrack(List<(long Tick, bool Down)> events, long fileEnd)
        {
            int n = events.Count;
            _ticks = new long[n];
            _down = new bool[n];
            _nextUp = new long[n];
            long next = fileEnd;
            for (int k = n - 1; k >= 0; k--)
            {
                _ticks[k] = events[k].Tick;
                _down[k] = events[k].Down;
                _nextUp[k] = next;
                if (!events[k].Down) next = events[k].Tick;
            }
        }

        /// <summary>
        /// The tick at which a note released at <paramref name="off"/> stops sounding: <paramref name="off"/> when the
        /// pedal (its state after every CC64 at ticks ≤ off) is up, else the first pedal-up after it, else the end of
        /// the file.
        /// </summary>
        public long SoundEnd(long off)
        {
            if (_ticks.Length == 0) return off;
            int idx = Array.BinarySearch(_ticks, off + 1); // first index with tick > off (ticks may repeat)
            idx = idx < 0 ? ~idx : idx;
            while (idx > 0 && _ticks[idx - 1] > off) idx--;
            while (idx < _ticks.Length && _ticks[idx] <= off) idx++;
            int last = idx - 1;
            if (last < 0 || !_down[last]) return off;
            return Math.Max(_nextUp[last], off);
        }
    }
}
