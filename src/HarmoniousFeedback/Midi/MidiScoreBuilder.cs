namespace HarmoniousFeedback.Midi;

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
