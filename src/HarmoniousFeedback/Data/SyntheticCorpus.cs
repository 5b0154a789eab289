using System.Globalization;
using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Data;

/// <summary>
/// Deterministic, seeded corpus of emotion-labelled piano pieces in the four Russell quadrants, composed from the
/// musical cues listeners associate with valence and arousal (Juslin &amp; Laukka 2004; Gabrielsson &amp; Lindström 2010):
/// mode, tempo, register, loudness, articulation and pedal, harmonic dissonance and rhythmic density. Every cue is drawn
/// from overlapping class-conditional distributions plus per-piece and per-song variation, so classes overlap and a
/// classifier cannot be perfect. docs/datasets.md gives the full generative model; in short, for a piece of quadrant q
/// with signs (s_v, s_a):
/// <code>
///   v = s_v·clip(|N(0.5, 0.3)|, 0.1, 1),  a = s_a·clip(|N(0.5, 0.3)|, 0.1, 1)          latent valence/arousal
///   major ~ Bernoulli(σ(3v + η·N(0,1)))                                             mode
///   bpm = clip(100 + 30a + song_t + η·N(0, 12), 52, 176)                              tempo
///   velocity = clip(68 + 18a + 4v + song_v + η·N(0, 9), 30, 112)                      loudness
///   density = clip(1.5 + 0.9a + η·N(0, 0.45), 0.5, 4) melody notes per beat            rhythmic density
///   articulation = clip(0.72 − 0.25a + 0.06v + η·N(0, 0.15), 0.25, 1) sounding fraction legato … staccato
///   pedal ~ Bernoulli(σ(−2.2a + 0.8v + 0.3 + η·N(0,1)))                              sustain pedal
///   dissonance = clip(0.3 − 0.45v + 0.1a + η·N(0, 0.15), 0, 1) P(tension per chord)   clusters, tritones, ♭9
///   melody register = 67 + round(8v + 2a) + song_r + round(η·N(0, 3))                 register
/// </code>
/// with η = <see cref="SyntheticCorpusOptions.CueNoise"/>, σ the logistic function, and song_t ~ N(0, 8),
/// song_v ~ N(0, 5), song_r ∈ {−3..3} shared by a song's pieces together with its key, motif (contour of scale steps)
/// and progression family. Each piece is a melody over a four-chord progression (bass + chords, busy or calm
/// accompaniment by arousal), lasting a whole number of <see cref="SyntheticCorpusOptions.SegmentSeconds"/> segments.
/// Clip ids (<c>syn0000…</c>) and song ids (<c>song000…</c>) are assigned after shuffling and never reveal the label.
/// Songs are split song-disjointly into train/val/test.
/// Version 2 (calibrated so that, under <c>hfb reproduce</c>, SVM/LDA on LLD features land near 70 %: see
/// docs/datasets.md) strengthened the valence cues (register, dissonance, pedal, legato) that separate the
/// low-arousal quadrants, kept latent values off the quadrant boundary (≥ 0.1) and lowered the mixed share to 10 %.
/// </summary>
public static class SyntheticCorpus
{
    /// <summary>Bumped when the generative model changes (part of <see cref="SyntheticCorpusOptions.ToString"/>).</summary>
    public const int Version = 2;

    private static readonly int[] MajorScale = [0, 2, 4, 5, 7, 9, 11];
    private static readonly int[] MinorScale = [0, 2, 3, 5, 7, 8, 10];

    // Progressions as (root semitones above the tonic, minor triad?); one bar each, cycled.
    private static readonly (int Root, bool Minor)[][] MajorProgressions =
    [
        [(0, false), (7, false), (9, true), (5, false)],  // I–V–vi–IV
        [(0, false), (5, false), (7, false), (0, false)], // I–IV–V–I
        [(0, false), (9, true), (5, false), (7, false)],  // I–vi–IV–V
    ];
    private static readonly (int Root, bool Minor)[][] MinorProgressions =
    [
        [(0, true), (8, false), (3, false), (10, false)], // i–VI–III–VII
        [(0, true), (5, true), (7, false), (0, true)],    // i–iv–V–i
        [(0, true), (10, false), (8, false), (7, false)], // i–VII–VI–V
    ];

    private sealed record Song(int Index, int Tonic, int[] Contour, int Progression, double TempoOffset, double VelocityOffset, int RegisterOffset, int[] MelodyRhythmBias);

    /// <summary>Generates the pieces (sorted by id).</summary>
    public static IReadOnlyList<SyntheticPiece> Generate(SyntheticCorpusOptions? options = null)
    {
        var o = options ?? new SyntheticCorpusOptions();
        o.Validate();
        var master = DeterministicRandom.For(o.Seed, "corpus", 0);

        // 1. Balanced labels, ordered by class, cut into songs of MinSongSize..MaxSongSize pieces.
        var labels = new List<int>();
        for (int q = 0; q < 4; q++)
            for (int i = 0; i < o.Clips / 4 + (q < o.Clips % 4 ? 1 : 0); i++) labels.Add(q);
        var songOf = new int[labels.Count];
        int songCount = 0;
        for (int i = 0; i < labels.Count;)
        {
            int size = master.Next(o.MinSongSize, o.MaxSongSize + 1);
            for (int j = 0; j < size && i < labels.Count; j++, i++) songOf[i] = songCount;
            songCount++;
        }
        // 2. Mixed songs: swap labels of random pairs from different classes and songs (keeps the balance).
        int swaps = (int)Math.Round(o.MixedFraction * labels.Count / 2);
        for (int s = 0, guard = 0; s < swaps && guard < 100 * (swaps + 1); guard++)
        {
            int a = master.Next(0, labels.Count), b = master.Next(0, labels.Count);
            if (labels[a] == labels[b] || songOf[a] == songOf[b]) continue;
            (labels[a], labels[b]) = (labels[b], labels[a]);
            s++;
        }
        // 3. Song identities and a song-disjoint split.
        var songOrder = Enumerable.Range(0, songCount).ToList();
        master.Shuffle(songOrder); // song names do not follow class order
        var songName = new int[songCount];
        for (int i = 0; i < songCount; i++) songName[songOrder[i]] = i;
        var splitOrder = Enumerable.Range(0, songCount).ToList();
        master.Shuffle(splitOrder);
        var songSplit = new Split[songCount];
        int nTrain = (int)Math.Round(o.TrainFraction * songCount), nVal = (int)Math.Round(o.ValidationFraction * songCount);
        for (int i = 0; i < songCount; i++)
            songSplit[splitOrder[i]] = i < nTrain ? Split.Train : i < nTrain + nVal ? Split.Validation : Split.Test;
        var songs = Enumerable.Range(0, songCount).Select(s => MakeSong(o.Seed, s)).ToArray();

        // 4. Shuffled piece ids.
        var order = Enumerable.Range(0, labels.Count).ToList();
        master.Shuffle(order);
        var pieces = new SyntheticPiece[labels.Count];
        for (int k = 0; k < order.Count; k++)
        {
            int i = order[k];
            string id = "syn" + k.ToString("D4", CultureInfo.InvariantCulture);
            pieces[k] = Compose(o, id, labels[i], songs[songOf[i]], songName[songOf[i]], songSplit[songOf[i]], DeterministicRandom.For(o.Seed, "piece", k));
        }
        return pieces;
    }

    /// <summary>Generates the corpus as a <see cref="Dataset"/> whose <see cref="Dataset.Scores"/> hold the pieces' scores.</summary>
    public static Dataset Create(SyntheticCorpusOptions? options = null)
    {
        var o = options ?? new SyntheticCorpusOptions();
        var pieces = Generate(o);
        var clips = pieces.Select(p => new Clip
        {
            Id = p.Id,
            GroupId = p.Song,
            Label = p.Label,
            Valence = p.Valence,
            Arousal = p.Arousal,
            Split = p.Split,
        });
        return new Dataset("synthetic", o.ToString(), clips, Dataset.Quadrants, pieces.ToDictionary(p => p.Id, p => p.Score));
    }

    private static Song MakeSong(long seed, int index)
    {
        var r = DeterministicRandom.For(seed, "song", index);
        var contour = new int[r.Next(4, 8)];
        for (int i = 0; i < contour.Length; i++) contour[i] = r.Pick(new[] { -2, -1, -1, 0, 1, 1, 2, 3, -3 });
        var bias = new int[4];
        for (int i = 0; i < 4; i++) bias[i] = r.Next(-1, 2);
        return new Song(index, r.Next(0, 12), contour, r.Next(0, 3), 8 * r.NextGaussian(), 5 * r.NextGaussian(), r.Next(-3, 4), bias);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
    private static double Clip(double x, double lo, double hi) => Math.Min(hi, Math.Max(lo, x));

    private static SyntheticPiece Compose(SyntheticCorpusOptions o, string id, int quadrant, Song song, int songName, Split split, DeterministicRandom r)
    {
        double eta = o.CueNoise;
        int sv = quadrant is 0 or 3 ? 1 : -1, sa = quadrant is 0 or 1 ? 1 : -1;
        double v = sv * Clip(Math.Abs(0.5 + 0.3 * r.NextGaussian()), 0.1, 1);
        double a = sa * Clip(Math.Abs(0.5 + 0.3 * r.NextGaussian()), 0.1, 1);

        bool major = r.Chance(Sigmoid(3 * v + eta * r.NextGaussian()));
        double bpm = Clip(100 + 30 * a + song.TempoOffset + eta * 12 * r.NextGaussian(), 52, 176);
        double vel = Clip(68 + 18 * a + 4 * v + song.VelocityOffset + eta * 9 * r.NextGaussian(), 30, 112);
        double density = Clip(1.5 + 0.9 * a + eta * 0.45 * r.NextGaussian(), 0.5, 4);
        double artic = Clip(0.72 - 0.25 * a + 0.06 * v + eta * 0.15 * r.NextGaussian(), 0.25, 1);
        bool pedal = r.Chance(Sigmoid(-2.2 * a + 0.8 * v + 0.3 + eta * r.NextGaussian()));
        double diss = Clip(0.3 - 0.45 * v + 0.1 * a + eta * 0.15 * r.NextGaussian(), 0, 1);
        int melodyBase = 67 + (int)Math.Round(8 * v + 2 * a) + song.RegisterOffset + (int)Math.Round(eta * 3 * r.NextGaussian());
        bool busy = r.Chance(Sigmoid(2.5 * a + 0.5 * eta * r.NextGaussian()));
        var cues = new SyntheticCues(major, bpm, melodyBase, vel, artic, pedal, diss, density, busy);

        double beat = 60.0 / bpm, bar = 4 * beat;
        double total = o.SegmentSeconds * r.Next(o.MinSegments, o.MaxSegments + 1);
        int bars = (int)Math.Ceiling(total / bar);
        var scale = major ? MajorScale : MinorScale;
        var prog = (major ? MajorProgressions : MinorProgressions)[song.Progression];
        int tonic = song.Tonic;
        var notes = new List<(double On, double Off, int Pitch, int Vel)>();
        int Vel(double mean, double sd) => (int)Math.Round(Clip(mean + sd * r.NextGaussian(), 1, 127));

        // Melody: scale-degree walk following the song's contour, chord tone on each downbeat.
        int degree = 7; // degrees above the tonic an octave below melodyBase's reference
        int contourPos = 0;
        for (int b = 0; b < bars; b++)
        {
            var (root, minorChord) = prog[b % prog.Length];
            int[] chordPcs = [root % 12, (root + (minorChord ? 3 : 4)) % 12, (root + 7) % 12];
            double t = b * bar;
            int beatIdx = 0;
            while (beatIdx < 4)
            {
                double rr = density + 0.5 * r.NextGaussian() + 0.3 * song.MelodyRhythmBias[beatIdx];
                int sub; double span = 1;
                if (rr < 0.9 && beatIdx % 2 == 0) { sub = 1; span = 2; }
                else if (rr < 1.6) sub = 1;
                else if (rr < 2.8) sub = 2;
                else sub = 4;
                double step = span * beat / sub;
                for (int s = 0; s < sub; s++)
                {
                    if (beatIdx == 0 && s == 0) degree = NearestChordDegree(degree, scale, chordPcs);
                    else
                    {
                        degree += song.Contour[contourPos++ % song.Contour.Length];
                        if (degree < 2 || degree > 13) degree = Math.Clamp(degree, 2, 13) - Math.Sign(degree - 7) * 2;
                    }
                    int pitch = DegreeToPitch(degree, scale, tonic, melodyBase - 7);
                    double on = t + (beatIdx + s * span / sub) * beat;
                    int accent = beatIdx == 0 && s == 0 ? 8 : s == 0 ? 3 : 0;
                    notes.Add((on, on + step * artic, pitch, Vel(vel + accent, 5)));
                }
                beatIdx += (int)span;
            }
        }

        // Accompaniment: bass + chord voicing with colour tones or dissonant tensions.
        int chordBase = melodyBase - 17;
        for (int b = 0; b < bars; b++)
        {
            var (root, minorChord) = prog[b % prog.Length];
            double t = b * bar;
            int rootPitch = chordBase + Mod(tonic + root - chordBase, 12);
            var chord = new List<int> { rootPitch, rootPitch + (minorChord ? 3 : 4), rootPitch + 7 };
            if (r.Chance(0.3)) chord.Add(rootPitch + (r.Chance(0.5) ? 14 : (minorChord ? 10 : 11))); // add9 / 7th colour
            if (r.Chance(diss))
            {
                switch (r.Next(0, 3))
                {
                    case 0: chord.Add(rootPitch + 1); break;                        // minor-second cluster against the root
                    case 1: chord.Add(rootPitch + 6); break;                        // tritone
                    default: chord.Add(rootPitch + 13); chord.Add(rootPitch + 2); break; // ♭9 with a cluster
                }
            }
            int bass = rootPitch - 12;
            double accVel = vel * 0.8;
            if (busy)
            {
                for (int e = 0; e < 8; e++)
                {
                    double on = t + e * beat / 2;
                    if (e % 4 == 0) notes.Add((on, on + beat * artic, bass, Vel(accVel + 4, 5)));
                    else foreach (var p in chord) notes.Add((on, on + beat / 2 * artic, p, Vel(accVel - 6, 5)));
                }
            }
            else
            {
                notes.Add((t, t + bar * Math.Max(artic, 0.6), bass, Vel(accVel, 5)));
                if (r.Chance(0.5))
                    foreach (var p in chord) notes.Add((t, t + bar * artic, p, Vel(accVel - 8, 5))); // block chord
                else
                    for (int k = 0; k < 4; k++)
                    {
                        var p = chord[k % chord.Count];
                        double on = t + k * beat;
                        notes.Add((on, on + beat * artic * 1.2, p, Vel(accVel - 8, 5))); // arpeggio
                    }
            }
        }

        // Pedal: legato pedalling, lifted at each barline and pressed again 60 ms later.
        var controls = new List<ControlChange>();
        if (pedal)
            for (int b = 0; b < bars; b++)
            {
                double t = b * bar;
                if (t >= total) break;
                if (b > 0) controls.Add(new ControlChange(t, 0, 64, 0));
                controls.Add(new ControlChange(t + 0.06, 0, 64, 127));
            }
        if (pedal) controls.Add(new ControlChange(total, 0, 64, 0));

        controls.Sort((x, y) => x.Seconds.CompareTo(y.Seconds));
        var score = BuildScore(notes, controls, total, bpm, $"synthetic:{id}");
        var label = Dataset.Quadrants[quadrant];
        return new SyntheticPiece(id, "song" + songName.ToString("D3", CultureInfo.InvariantCulture), label, v, a, split, cues, score);
    }

    private static int Mod(int x, int m) => ((x % m) + m) % m;

    private static int DegreeToPitch(int degree, int[] scale, int tonic, int octaveBase)
    {
        int oct = (int)Math.Floor(degree / 7.0);
        int pitch = octaveBase + Mod(tonic - octaveBase, 12) + 12 * oct + scale[Mod(degree, 7)];
        return Math.Clamp(pitch, 21, 108);
    }

    private static int NearestChordDegree(int degree, int[] scale, int[] chordPcs)
    {
        for (int d = 0; d < 7; d++)
            foreach (int cand in new[] { degree - d, degree + d })
                if (chordPcs.Contains(Mod(scale[Mod(cand, 7)], 12)) || chordPcs.Any(pc => Mod(pc - scale[Mod(cand, 7)], 12) == 0))
                    return cand;
        return degree;
    }

    /// <summary>
    /// Turns raw notes into the piece's <see cref="MidiScore"/>: notes truncated at <paramref name="total"/>, duplicate
    /// strikes merged, then written with <see cref="MidiWriter"/> and read back with <see cref="MidiReader"/>, so the
    /// in-memory score is exactly what the piece's .mid file says (tick-quantised times, the reader's overlap and
    /// sustain-pedal rules for <see cref="MidiNote.PedalOffset"/>).
    /// </summary>
    private static MidiScore BuildScore(List<(double On, double Off, int Pitch, int Vel)> raw, List<ControlChange> controls, double total, double bpm, string source)
    {
        var notes = new List<MidiNote>();
        foreach (var g in raw.Where(n => n.On < total - 0.05).GroupBy(n => n.Pitch))
        {
            var list = g.OrderBy(n => n.On).ToArray();
            for (int i = 0; i < list.Length; i++)
            {
                if (i + 1 < list.Length && list[i + 1].On - list[i].On < 1e-6) continue; // duplicate strike: keep one
                double off = Math.Min(list[i].Off, total);
                if (i + 1 < list.Length) off = Math.Min(off, list[i + 1].On);
                if (off - list[i].On < 0.01) continue;
                notes.Add(new MidiNote(list[i].On, off, list[i].Pitch, list[i].Vel, 0, off));
            }
        }
        int usPerQuarter = (int)Math.Round(60_000_000 / bpm);
        var draft = new MidiScore
        {
            Notes = notes,
            Tempos = [new TempoChange(0, 0, usPerQuarter)],
            TimeSignatures = [new TimeSignature(0, 0, 4, 4)],
            Controls = controls,
            Source = source,
        };
        return MidiReader.Read(MidiWriter.ToBytes(draft), source);
    }
}
