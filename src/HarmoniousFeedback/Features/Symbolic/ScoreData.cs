using System.Globalization;
using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>
/// A score prepared once for window queries: notes sorted by onset (then pitch), onset clusters with their sonorities,
/// sustain-pedal transitions, the onset envelope and the beat grid.
/// </summary>
internal sealed class ScoreData
{
    public readonly int N;
    public readonly double[] On, Off, Harm;
    public readonly int[] Pitch, Vel, ClusterOf;

    public readonly int C;
    public readonly double[] CTime, CWeight;
    public readonly int[] CStart, CEnd, CTop, CBass, CMask, CRoot;
    public readonly ChordQuality[] CChord;
    public readonly double[] CHuron, CRough;
    public readonly bool[] CHasDyad, CHasPair;

    /// <summary>Global pedal state changes (time, down) in time order, starting from "up".</summary>
    public readonly (double Time, bool Down)[] Pedal;

    public readonly float[] Envelope;
    public readonly BeatGrid Grid;

    public ScoreData(MidiScore score, double end, SymbolicFeatureOptions o)
    {
        var notes = score.Notes.Where(n => n.Onset < end).OrderBy(n => n.Onset).ThenBy(n => n.Pitch).ToArray();
        N = notes.Length;
        On = new double[N]; Off = new double[N]; Harm = new double[N]; Pitch = new int[N]; Vel = new int[N]; ClusterOf = new int[N];
        for (int i = 0; i < N; i++)
        {
            On[i] = notes[i].Onset; Off[i] = notes[i].Offset; Pitch[i] = notes[i].Pitch; Vel[i] = notes[i].Velocity;
            Harm[i] = o.HarmonyUsesPedal ? Math.Max(notes[i].PedalOffset, notes[i].Offset) : notes[i].Offset;
        }

        // onset clusters: a new cluster starts when a note's onset is more than the tolerance after the cluster's first onset
        var starts = new List<int>();
        for (int i = 0; i < N; i++)
            if (starts.Count == 0 || On[i] - On[starts[^1]] > o.ChordToleranceSeconds) starts.Add(i);
        C = starts.Count;
        CTime = new double[C]; CWeight = new double[C]; CStart = new int[C]; CEnd = new int[C]; CTop = new int[C]; CBass = new int[C];
        CMask = new int[C]; CRoot = new int[C]; CChord = new ChordQuality[C]; CHuron = new double[C]; CRough = new double[C];
        CHasDyad = new bool[C]; CHasPair = new bool[C];
        var pitches = new int[128];
        for (int c = 0; c < C; c++)
        {
            int s = starts[c], e = c + 1 < C ? starts[c + 1] : N;
            CStart[c] = s; CEnd[c] = e; CTime[c] = On[s];
            int top = int.MinValue, bass = int.MaxValue; double w = 0;
            for (int j = s; j < e; j++) { ClusterOf[j] = c; top = Math.Max(top, Pitch[j]); bass = Math.Min(bass, Pitch[j]); w += Vel[j] / 127.0; }
            CTop[c] = top; CBass[c] = bass; CWeight[c] = w;

            // sonority: the cluster's notes plus earlier notes struck within SonorityMaxAge and still sounding after the cluster's spread
            double t = CTime[c], after = t + o.ChordToleranceSeconds;
            int mask = 0, np = 0;
            void Add(int p)
            {
                mask |= 1 << (p % 12);
                for (int k = 0; k < np; k++) if (pitches[k] == p) return;
                pitches[np++] = p;
            }
            for (int j = s; j < e; j++) Add(Pitch[j]);
            for (int j = s - 1; j >= 0 && On[j] >= t - o.SonorityMaxAgeSeconds; j--)
                if (Harm[j] > after) Add(Pitch[j]);
            CMask[c] = mask;
            var (q, root, _) = ChordTemplates.Classify(mask, o.ChordMinCosine);
            CChord[c] = q; CRoot[c] = root;
            CHasDyad[c] = System.Numerics.BitOperations.PopCount((uint)mask) >= 2;
            CHuron[c] = Consonance.HuronPerDyad(mask);
            CHasPair[c] = np >= 2;
            CRough[c] = Consonance.RoughnessPerPair(pitches.AsSpan(0, np));
        }

        Pedal = PedalChanges(score.Controls, o.PedalThreshold);
        Envelope = BeatGrid.Envelope(CTime, CWeight, end, o.Grid.EnvelopeRate, o.Grid.EnvelopeSmoothingSeconds);
        Grid = BeatGrid.Resolve(score, CTime, CWeight, end, o.Grid);
    }

    /// <summary>Index of the first note with onset ≥ t.</summary>
    public int FirstNoteAt(double t) => LowerBound(On, N, t);

    /// <summary>Index of the first cluster with time ≥ t.</summary>
    public int FirstClusterAt(double t) => LowerBound(CTime, C, t);

    private static int LowerBound(double[] a, int n, double t)
    {
        int lo = 0, hi = n;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (a[mid] < t) lo = mid + 1; else hi = mid; }
        return lo;
    }

    private static (double, bool)[] PedalChanges(IReadOnlyList<ControlChange> controls, int threshold)
    {
        var down = new Dictionary<int, bool>();
        var changes = new List<(double, bool)>();
        bool any = false;
        foreach (var cc in controls.Where(c => c.Controller == 64).OrderBy(c => c.Seconds))
        {
            down[cc.Channel] = cc.Value >= threshold;
            bool now = down.Values.Any(v => v);
            if (now != any) { changes.Add((cc.Seconds, now)); any = now; }
        }
        return [.. changes];
    }

    /// <summary>Checks a score before preparation: finite, non-negative, ordered times; pitch 0–127; velocity 1–127; at least one note.</summary>
    public static void Check(MidiScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        if (score.Notes.Count == 0)
            throw new MidiFormatException(score.Source, "has no notes; score and performance features need at least one note");
        for (int i = 0; i < score.Notes.Count; i++)
        {
            var n = score.Notes[i];
            string at = $"note {i} (onset {n.Onset.ToString(CultureInfo.InvariantCulture)} s, pitch {n.Pitch})";
            if (!double.IsFinite(n.Onset) || n.Onset < 0) throw new MidiFormatException(score.Source, $"{at}: onset must be finite and >= 0");
            if (!double.IsFinite(n.Offset) || n.Offset < n.Onset) throw new MidiFormatException(score.Source, $"{at}: offset {n.Offset.ToString(CultureInfo.InvariantCulture)} must be finite and >= the onset");
            if (!double.IsFinite(n.PedalOffset) || n.PedalOffset < n.Onset) throw new MidiFormatException(score.Source, $"{at}: pedal offset {n.PedalOffset.ToString(CultureInfo.InvariantCulture)} must be finite and >= the onset");
            if ((uint)n.Pitch > 127) throw new MidiFormatException(score.Source, $"{at}: pitch must be in [0, 127]");
            if (n.Velocity < 1 || n.Velocity > 127) throw new MidiFormatException(score.Source, $"{at}: velocity {n.Velocity} must be in [1, 127]");
        }
    }
}
