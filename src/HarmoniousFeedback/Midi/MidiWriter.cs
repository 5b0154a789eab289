using System.Buffers.Binary;
using System.Globalization;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Midi;

/// <summary>
/// Writes a <see cref="MidiScore"/> as a Standard MIDI File, format 1, with two tracks:
/// track 0 (conductor) holds the tempo (meta 0x51) and time signature (meta 0x58); track 1 holds the notes and
/// controller changes (CC64 sustain and any other <see cref="MidiScore.Controls"/>) on each note's own channel.
/// <para>
/// Timing: one fixed tempo T µs/quarter (see <see cref="MidiWriterOptions.Bpm"/>) and division D ticks/quarter,
/// so <c>tick = round(seconds · 10⁶ · D / T)</c>; a reader applying that tempo recovers every time within
/// <c>T / (2·D·10⁶)</c> s (≈ 0.52 ms at the defaults). The score's own tempo map is not reproduced (its times
/// are already in seconds); the first time signature is kept, or 4/4.
/// </para>
/// <para>
/// Events at the same tick are ordered note-offs, then controller changes, then note-ons, so a re-struck pitch
/// is released before it sounds again and a pedal pressed at a release does not catch the released note.
/// Same-pitch notes on one channel that overlap are shortened to end at the next onset (SMF cannot express two
/// simultaneous instances of one key). Notes are written with <see cref="MidiNote.Offset"/> (key release); the
/// pedal-extended <see cref="MidiNote.PedalOffset"/> follows from the CC64 events. No running status is used.
/// </para>
/// Writes are atomic (temporary file renamed into place). The output is a pure function of the score and the
/// options, so its SHA-256 serves as a canonical content hash of the score.
/// </summary>
public static class MidiWriter
{
    /// <summary>Writes <paramref name="score"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, MidiScore score, MidiWriterOptions? options = null)
    {
        AtomicFile.WriteAllBytes(path, ToBytes(score, options));
    }

    /// <summary>The SMF bytes of <paramref name="score"/> (see the type's remarks for the exact layout).</summary>
    public static byte[] ToBytes(MidiScore score, MidiWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(score);
        options ??= new MidiWriterOptions();
        options.Validate();
        double bpm = options.Bpm ?? (score.Tempos.Count > 0 ? score.Tempos[0].Bpm : 120.0);
        int usPerQuarter = (int)Math.Round(60_000_000.0 / bpm);
        if (usPerQuarter is <= 0 or > 0xFFFFFF)
            throw new MidiFormatException(score.Source, $"tempo {bpm.ToString(CultureInfo.InvariantCulture)} BPM cannot be written (µs per quarter must be 1 .. 16777215)");
        int division = options.TicksPerQuarter;
        double ticksPerSecond = 1e6 * division / usPerQuarter;
        long Tick(double seconds)
        {
            if (!(seconds >= 0) || double.IsInfinity(seconds))
                throw new MidiFormatException(score.Source, $"event time {seconds.ToString(CultureInfo.InvariantCulture)} s is not a finite non-negative time");
            return (long)Math.Round(seconds * ticksPerSecond, MidpointRounding.AwayFromZero);
        }

        // Track 1 events: (tick, order, bytes) with order 0 = note-off, 1 = controller, 2 = note-on.
        var events = new List<(long Tick, int Order, int Seq, byte Status, byte A, byte B)>(score.Notes.Count * 2 + score.Controls.Count);
        int seq = 0;
        var byKey = score.Notes.Select((n, i) => (n, i)).GroupBy(x => (x.n.Channel, x.n.Pitch));
        foreach (var key in byKey)
        {
            var notes = key.OrderBy(x => x.n.Onset).ThenBy(x => x.i).Select(x => x.n).ToArray();
            for (int j = 0; j < notes.Length; j++)
            {
                var n = notes[j];
                CheckNote(score.Source, n);
                long on = Tick(n.Onset);
                long off = Math.Max(Tick(n.Offset), on + 1);
                if (j + 1 < notes.Length) off = Math.Min(off, Math.Max(Tick(notes[j + 1].Onset), on + 1));
                events.Add((on, 2, seq++, (byte)(0x90 | n.Channel), (byte)n.Pitch, (byte)n.Velocity));
                events.Add((off, 0, seq++, (byte)(0x80 | n.Channel), (byte)n.Pitch, (byte)options.NoteOffVelocity));
            }
        }
        foreach (var c in score.Controls)
        {
            if (c.Channel is < 0 or > 15 || c.Controller is < 0 or > 127 || c.Value is < 0 or > 127)
                throw new MidiFormatException(score.Source, $"control change channel {c.Channel} controller {c.Controller} value {c.Value} at {c.Seconds.ToString(CultureInfo.InvariantCulture)} s is out of range (channel 0..15, controller and value 0..127)");
            events.Add((Tick(c.Seconds), 1, seq++, (byte)(0xB0 | c.Channel), (byte)c.Controller, (byte)c.Value));
        }
        events.Sort((x, y) => x.Tick != y.Tick ? x.Tick.CompareTo(y.Tick) : x.Order != y.Order ? x.Order.CompareTo(y.Order) : x.Seq.CompareTo(y.Seq));

        var ts = score.TimeSignatures.Count > 0 ? score.TimeSignatures[0] : new TimeSignature(0, 0, 4, 4);
        int denPower = (int)Math.Round(Math.Log2(ts.Denominator));
        if (ts.Numerator is < 1 or > 255 || denPower is < 0 or > 7 || 1 << denPower != ts.Denominator)
            throw new MidiFormatException(score.Source, $"time signature {ts.Numerator}/{ts.Denominator} cannot be written (numerator 1..255, denominator a power of two 1..128)");

        using var ms = new MemoryStream();
        // Header chunk: format 1, 2 tracks, division.
        ms.Write("MThd"u8);
        WriteU32(ms, 6);
        WriteU16(ms, 1);
        WriteU16(ms, 2);
        WriteU16(ms, division);

        // Track 0: tempo + time signature.
        var t0 = new MemoryStream();
        WriteVarLen(t0, 0); t0.Write([0xFF, 0x51, 0x03, (byte)(usPerQuarter >> 16), (byte)(usPerQuarter >> 8), (byte)usPerQuarter]);
        WriteVarLen(t0, 0); t0.Write([0xFF, 0x58, 0x04, (byte)ts.Numerator, (byte)denPower, 24, 8]);
        WriteVarLen(t0, 0); t0.Write([0xFF, 0x2F, 0x00]);
        WriteChunk(ms, t0);

        // Track 1: notes and controllers.
        var t1 = new MemoryStream();
        long last = 0;
        foreach (var e in events)
        {
            long delta = e.Tick - last;
            if (delta > 0x0FFFFFFF) throw new MidiFormatException(score.Source, $"gap of {delta} ticks between events exceeds the SMF limit of 2^28−1");
            WriteVarLen(t1, (uint)delta);
            t1.WriteByte(e.Status); t1.WriteByte(e.A); t1.WriteByte(e.B);
            last = e.Tick;
        }
        WriteVarLen(t1, 0); t1.Write([0xFF, 0x2F, 0x00]);
        WriteChunk(ms, t1);
        return ms.ToArray();
    }

    private static void CheckNote(string source, MidiNote n)
    {
        if (n.Pitch is < 0 or > 127 || n.Velocity is < 1 or > 127 || n.Channel is < 0 or > 15 || !(n.Offset >= n.Onset))
            throw new MidiFormatException(source,
                $"note pitch {n.Pitch} velocity {n.Velocity} channel {n.Channel} onset {n.Onset.ToString(CultureInfo.InvariantCulture)} s offset {n.Offset.ToString(CultureInfo.InvariantCulture)} s cannot be written (pitch 0..127, velocity 1..127, channel 0..15, offset ≥ onset)");
    }

    private static void WriteChunk(Stream s, MemoryStream body)
    {
        s.Write("MTrk"u8);
        WriteU32(s, (uint)body.Length);
        body.Position = 0;
        body.CopyTo(s);
    }

    private static void WriteU32(Stream s, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        s.Write(b);
    }

    private static void WriteU16(Stream s, int v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)v);
        s.Write(b);
    }

    /// <summary>SMF variable-length quantity: 7 bits per byte, most significant first, continuation bit 0x80.</summary>
    internal static void WriteVarLen(Stream s, uint v)
    {
        Span<byte> b = stackalloc byte[5];
        int n = 0;
        b[n++] = (byte)(v & 0x7F);
        while ((v >>= 7) != 0) b[n++] = (byte)((v & 0x7F) | 0x80);
        for (int i = n - 1; i >= 0; i--) s.WriteByte(b[i]);
    }
}
