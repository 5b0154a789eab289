using System.Buffers.Binary;

namespace HarmoniousFeedback.Midi;

/// <summary>Byte-level SMF parser; every failure is a <see cref="MidiFormatException"/> naming the byte offset.</summary>
internal static class MidiParser
{
    public static MidiParsedFile Parse(ReadOnlySpan<byte> d, string source)
    {
        if (d.Length == 0) throw new MidiFormatException(source, "file is empty (0 bytes); expected a Standard MIDI File starting with 'MThd'");
        if (d.Length < 14 || !d[..4].SequenceEqual("MThd"u8))
        {
            if (d.Length >= 12 && d[..4].SequenceEqual("RIFF"u8) && d.Slice(8, 4).SequenceEqual("WAVE"u8))
                throw new MidiFormatException(source, "is a WAV audio file (RIFF/WAVE), not a Standard MIDI File; a score must be a .mid file starting with 'MThd'");
            if (d.Length >= 12 && d[..4].SequenceEqual("RIFF"u8) && d.Slice(8, 4).SequenceEqual("RMID"u8))
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
            if (len > d.Length - body && tracks.Count >= declaredTracks && !id.SequenceEqual("MTrk"u8))
                break; // every declared track is read: what follows is trailing bytes, not a chunk (mido reads no further either)
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
