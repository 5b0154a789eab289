using System.Globalization;

namespace HarmoniousFeedback.Midi;

/// <summary>
/// Cuts a time window out of a <see cref="MidiScore"/> as a score of its own that starts at 0 s.
/// <list type="bullet">
/// <item>Notes whose onset lies in [start, start + length) are kept, shifted by −start; a note still held at the window's
/// end is released there (offset = min(offset, start + length)).</item>
/// <item>Controllers: for every (channel, controller) the last value at or before <c>start</c> is re-sent at 0 s (so a
/// pedal held into the window stays down; an up pedal is not re-sent), events inside (start, start + length) are shifted,
/// and a sustain pedal still down at the end is lifted at <c>length</c> — the excerpt carries no pedal beyond itself.</item>
/// <item>The tempo and time signature in effect at <c>start</c> are kept (they only fix the tick grid when written).</item>
/// <item>The result is written with <see cref="MidiWriter"/> and read back with <see cref="MidiReader"/>, so it is exactly
/// what its .mid file says (times on the 480-TPQ tick grid, pedal-extended offsets by the reader's rule).</item>
/// </list>
/// </summary>
public static class MidiExcerpt
{
    /// <summary>The window [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of <paramref name="score"/>, starting at 0 s.</summary>
    public static MidiScore Cut(MidiScore score, double start, double length)
    {
        ArgumentNullException.ThrowIfNull(score);
        if (!(start >= 0) || !(length > 0) || double.IsInfinity(start + length))
            throw new MidiFormatException(score.Source, string.Create(CultureInfo.InvariantCulture,
                $"excerpt start {start} s and length {length} s must be finite with start ≥ 0 and length > 0"));
        double end = start + length;
        var notes = score.Notes.Where(n => n.Onset >= start && n.Onset < end)
            .Select(n =>
            {
                double off = Math.Min(n.Offset, end) - start;
                return new MidiNote(n.Onset - start, off, n.Pitch, n.Velocity, n.Channel, off);
            })
            .ToList();
        var controls = new List<ControlChange>();
        foreach (var g in score.Controls.Where(c => c.Seconds <= start).GroupBy(c => (c.Channel, c.Controller)))
        {
            var last = g.OrderBy(c => c.Seconds).Last();
            if (last.Controller == 64 && last.Value < 64) continue;
            controls.Add(last with { Seconds = 0 });
        }
        controls.AddRange(score.Controls.Where(c => c.Seconds > start && c.Seconds < end).Select(c => c with { Seconds = c.Seconds - start }));
        foreach (var ch in controls.Where(c => c.Controller == 64).Select(c => c.Channel).Distinct().ToArray())
        {
            var last = controls.Where(c => c.Controller == 64 && c.Channel == ch).OrderBy(c => c.Seconds).Last();
            if (last.Value >= 64) controls.Add(new ControlChange(length, ch, 64, 0));
        }
        controls.Sort((a, b) => a.Seconds.CompareTo(b.Seconds));
        var tempo = score.Tempos.Where(t => t.Seconds <= start).LastOrDefault(score.Tempos.Count > 0 ? score.Tempos[0] : new TempoChange(0, 0, 500_000));
        var sig = score.TimeSignatures.Where(t => t.Seconds <= start).LastOrDefault(score.TimeSignatures.Count > 0 ? score.TimeSignatures[0] : new TimeSignature(0, 0, 4, 4));
        string source = string.Create(CultureInfo.InvariantCulture, $"{score.Source}@{start:0.###}+{length:0.###}");
        var draft = new MidiScore
        {
            Notes = notes,
            Tempos = [tempo with { Tick = 0, Seconds = 0 }],
            TimeSignatures = [sig with { Tick = 0, Seconds = 0 }],
            Controls = controls,
            Source = source,
        };
        return MidiReader.Read(MidiWriter.ToBytes(draft), source);
    }
}
