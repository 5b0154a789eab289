using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>
/// Score and performance features of a MIDI clip, per segment and per clip (docs/features.md, "Score and performance
/// features", documents every column with its formula and reference).
/// <para><b>Windows.</b> A window is a time interval [t0, t1): each segment of <see cref="SegmentGrid"/> (the LLD segmentation
/// of the rendered audio, which starts at MIDI time 0; segment k is [start/sr, end/sr)), and the clip window
/// [0, length/sr). A note belongs to the window of its onset; duration-weighted quantities (pitch-class histogram,
/// polyphony, sounding and pedal fractions) use the part of each note or pedal interval inside the window; pairs of
/// successive onset clusters (intervals, inter-onset intervals) count when both onsets are inside. A window without onsets
/// has 0 in every onset-based column and <c>note_count</c> = 0 tells it apart; no value is ever NaN.</para>
/// <para><b>Views.</b> Score columns (<see cref="ScoreColumns"/>) describe what is played — density, polyphony, pitch and
/// register, pitch classes and key, melodic intervals, chords and consonance, rhythm and syncopation. Performance columns
/// (<see cref="PerformanceColumns"/>) describe how — velocity, inter-onset timing and tempo, timing against the grid,
/// articulation and sustain pedal. For performance MIDI (EMOPIA) both views come from the same notes; the split follows
/// what a score would fix and what a performer chooses.</para>
/// <para>Thread-safe (immutable); one clip is computed on the calling thread — parallelise over clips
/// (the Data stage's <c>MultiViewExtractor</c> does).</para>
/// </summary>
public sealed class SymbolicFeatureExtractor
{
    public SymbolicFeatureOptions Options { get; }

    private static readonly string[] PcNames = [.. KeyFinder.PitchClassNames];

    /// <summary>
    /// The score-view column names, in order (98). Window = segment or clip; "struck" = onset in the window.
    /// <list type="bullet">
    /// <item><c>note_count</c>, <c>note_density</c> (notes/s), <c>cluster_rate</c> (onset clusters/s), <c>chord_size_mean</c> (notes per cluster).</item>
    /// <item><c>polyphony_mean</c>/<c>_max</c>: time-average/maximum number of held keys (onset → key release) in the window;
    /// <c>sounding_fraction</c>: share of the window with a note sounding (pedal-extended).</item>
    /// <item><c>pitch_mean/std/min/max/range</c> over notes struck (population std); <c>top_voice_mean</c>, <c>bass_mean</c>: mean
    /// highest/lowest pitch per cluster (skyline, Uitdenbogerd &amp; Zobel 1999); <c>register_low/mid/high</c>: share below 48, 48–71, from 72.</item>
    /// <item><c>pc_C</c>…<c>pc_B</c>: duration-weighted pitch-class histogram <c>h[q] = Σ_{class q}|[on, end) ∩ window| / Σ_all</c>
    /// (end = pedal offset when <see cref="SymbolicFeatureOptions.HarmonyUsesPedal"/>); <c>pc_entropy</c> = −Σ h·log2 h (bits);
    /// <c>pcrel_j</c> = h[(j + tonic) mod 12].</item>
    /// <item>Key (<see cref="KeyFinder"/>, Krumhansl–Schmuckler with Krumhansl–Kessler profiles): <c>key_tonic</c> (0 = C),
    /// <c>key_mode</c> (1 major), <c>key_r</c>, <c>key_clarity</c> (best − second), <c>mode_strength</c> (best major − best minor),
    /// <c>keycorr_{C…B}_{major,minor}</c> (the 24 correlations).</item>
    /// <item>Top-voice melodic intervals i between successive clusters: shares of |i| = 0 (<c>mi_unison</c>), 1–2 (<c>mi_step</c>),
    /// 3–4 (<c>mi_third</c>), 5–7 (<c>mi_fourth_fifth</c>), 8–11 (<c>mi_sixth_seventh</c>), ≥ 12 (<c>mi_octave_plus</c>);
    /// <c>mi_mean_abs</c>, <c>mi_std</c> (signed), <c>mi_up_fraction</c> (rising among non-zero).</item>
    /// <item>Chords (<see cref="ChordTemplates"/>, Fujishima 1999): <c>chord_fraction</c> (clusters whose sonority has ≥ 3 pitch
    /// classes), shares among those of <c>chord_major</c>, <c>_minor</c>, <c>_diminished</c>, <c>_augmented</c>, <c>_sus</c>,
    /// <c>_dominant7</c>, <c>_major7</c>, <c>_minor7</c>, <c>_other</c>; <c>harmonic_change_rate</c> (changes of root/quality per s).</item>
    /// <item><c>consonance_huron</c>: mean Huron (1994) dyadic consonance per dyad of the sonorities; <c>roughness</c>: mean
    /// Sethares (1993) roughness per pitch pair (<see cref="Consonance"/>).</item>
    /// <item>Rhythm on cluster inter-onset intervals d_k: <c>ioi_entropy</c> (bits, quarter-octave bins from 31.25 ms),
    /// <c>npvi</c> = 100/(m−1)·Σ|d_k − d_{k+1}|/((d_k + d_{k+1})/2) (Grabe &amp; Low 2002), <c>ioi_cv</c> = std/mean.</item>
    /// <item><c>syncopation_lhl</c>: Longuet-Higgins &amp; Lee (1984) on the sixteenth grid of the beat grid (weights 0 beat, −1
    /// eighth, −2 sixteenth): per cluster max(0, max weight in the gap to the next onset − own weight), averaged;
    /// <c>offbeat_fraction</c>: share of clusters not on a beat.</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<string> ScoreColumns { get; } =
    [
        "note_count", "note_density", "cluster_rate", "chord_size_mean", "polyphony_mean", "polyphony_max", "sounding_fraction",
        "pitch_mean", "pitch_std", "pitch_min", "pitch_max", "pitch_range", "top_voice_mean", "bass_mean",
        "register_low", "register_mid", "register_high",
        .. PcNames.Select(n => "pc_" + n), "pc_entropy",
        .. Enumerable.Range(0, 12).Select(i => "pcrel_" + i),
        "key_tonic", "key_mode", "key_r", "key_clarity", "mode_strength",
        .. PcNames.Select(n => "keycorr_" + n + "_major"), .. PcNames.Select(n => "keycorr_" + n + "_minor"),
        "mi_unison", "mi_step", "mi_third", "mi_fourth_fifth", "mi_sixth_seventh", "mi_octave_plus", "mi_mean_abs", "mi_std", "mi_up_fraction",
        "chord_fraction", "chord_major", "chord_minor", "chord_diminished", "chord_augmented", "chord_sus",
        "chord_dominant7", "chord_major7", "chord_minor7", "chord_other", "harmonic_change_rate",
        "consonance_huron", "roughness",
        "ioi_entropy", "npvi", "ioi_cv", "syncopation_lhl", "offbeat_fraction",
    ];

    /// <summary>
    /// The 37 score columns that change when the music is transposed: the absolute pitch-class histogram (<c>pc_C</c> …
    /// <c>pc_B</c>), <c>key_tonic</c> and the 24 <c>keycorr_*</c>. Everything else is transposition-invariant (the key-relative
    /// histogram <c>pcrel_*</c>, mode, correlations of the best key, chords, intervals; register moves with transposition but
    /// is an absolute pitch property on purpose). On EMOPIA a clip-level SVM gains 1.5 points without them (bench/README).
    /// </summary>
    public static IReadOnlyList<string> TranspositionDependentColumns { get; } =
        [.. ScoreColumns.Where(c => (c.StartsWith("pc_", StringComparison.Ordinal) && c != "pc_entropy") || c == "key_tonic" || c.StartsWith("keycorr_", StringComparison.Ordinal))];

    /// <summary>
    /// The performance-view column names, in order (22).
    /// <list type="bullet">
    /// <item><c>velocity_mean/std/min/max/range</c> over notes struck; <c>velocity_slope_per_s</c>: least-squares slope of velocity
    /// against onset time; <c>melody_velocity_lead</c>: in clusters of ≥ 2 notes, velocity of the highest − mean of the others.</item>
    /// <item><c>ioi_mean_s</c>, <c>ioi_median_s</c>, <c>ioi_std_s</c>: cluster inter-onset intervals (s).</item>
    /// <item><c>tempo_bpm</c>: local tempo (<see cref="TempoEstimator"/> on the onset envelope in a
    /// <see cref="TempoOptions.LocalWindowSeconds"/> window around the segment, prior on the clip tempo; the tempo map's average
    /// over the window for a map grid; the clip tempo for the clip row); <c>tempo_log2_ratio</c> = log2(local/clip);
    /// <c>pulse_clarity</c>: max normalised envelope autocorrelation (Lartillot et al. 2008); <c>timing_deviation_beats</c>:
    /// mean distance of cluster onsets to the nearest sixteenth of the grid (beats).</item>
    /// <item>Articulation per note = key-down duration / IOI from its cluster to the next (capped at
    /// <see cref="SymbolicFeatureOptions.ArticulationCap"/>): <c>articulation_mean</c>, <c>_median</c>, <c>staccato_fraction</c>
    /// (&lt; <see cref="SymbolicFeatureOptions.StaccatoRatio"/>), <c>legato_fraction</c> (≥ <see cref="SymbolicFeatureOptions.LegatoRatio"/>);
    /// <c>duration_mean_s</c>; <c>pedal_extension_mean_s</c> (pedal offset − key release).</item>
    /// <item><c>pedal_fraction</c>: share of the window with CC64 ≥ <see cref="SymbolicFeatureOptions.PedalThreshold"/> on any
    /// channel; <c>pedal_changes_per_s</c>: pedal state changes per second.</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<string> PerformanceColumns { get; } =
    [
        "velocity_mean", "velocity_std", "velocity_min", "velocity_max", "velocity_range", "velocity_slope_per_s", "melody_velocity_lead",
        "ioi_mean_s", "ioi_median_s", "ioi_std_s",
        "tempo_bpm", "tempo_log2_ratio", "pulse_clarity", "timing_deviation_beats",
        "articulation_mean", "articulation_median", "staccato_fraction", "legato_fraction", "duration_mean_s", "pedal_extension_mean_s",
        "pedal_fraction", "pedal_changes_per_s",
    ];

    /// <summary>Part of every cache key; bumped whenever a formula or the column list changes, so old cache entries are not reused.</summary>
    public const int CacheVersion = 1;

    public SymbolicFeatureExtractor(SymbolicFeatureOptions? options = null)
    {
        Options = options ?? new SymbolicFeatureOptions();
        Options.Validate();
    }

    /// <summary>Segment boundaries (samples at <see cref="SymbolicFeatureOptions.SampleRate"/>) for a clip of <paramref name="lengthSamples"/> samples.</summary>
    public IReadOnlyList<(int Start, int End)> Segments(int lengthSamples)
        => SegmentGrid.Cut(lengthSamples, Options.SampleRate, Options.SegmentSeconds, Options.OverlapSeconds, Options.LastSegment, Options.MinLastSegmentFraction);

    /// <summary>The clip length (samples) used when no audio length is given: <c>ceil(score.Duration · sr)</c> (the end of the last pedal-extended note).</summary>
    public int DefaultLength(MidiScore score) => (int)Math.Min(int.MaxValue, Math.Ceiling(score.Duration * Options.SampleRate));

    /// <summary>
    /// Features of <paramref name="score"/>. <paramref name="lengthSamples"/> is the length of the clip's rendered audio at
    /// <see cref="SymbolicFeatureOptions.SampleRate"/> (so the segments equal the audio's LLD segments); null = <see cref="DefaultLength"/>.
    /// A score without notes or with invalid note times/pitches/velocities raises <see cref="MidiFormatException"/>.
    /// </summary>
    public SymbolicFeatures Compute(MidiScore score, int? lengthSamples = null)
    {
        ScoreData.Check(score);
        int length = lengthSamples ?? DefaultLength(score);
        if (length <= 0)
            throw new FeatureParameterException(nameof(SymbolicFeatureExtractor), [$"lengthSamples = {length} must be > 0 (the clip's audio length at {Options.SampleRate} Hz)"]);
        double sr = Options.SampleRate, end = length / sr;
        var d = new ScoreData(score, end, Options);
        var segs = Segments(length);
        int ns = ScoreColumns.Count, np = PerformanceColumns.Count;
        var sData = new float[segs.Count * ns];
        var pData = new float[segs.Count * np];
        var times = new double[segs.Count];
        for (int s = 0; s < segs.Count; s++)
        {
            double t0 = segs[s].Start / sr, t1 = segs[s].End / sr;
            times[s] = t0;
            ScoreRow(d, t0, t1, sData.AsSpan(s * ns, ns));
            PerformanceRow(d, t0, t1, clipWindow: false, pData.AsSpan(s * np, np));
        }
        var sClip = new float[ns];
        var pClip = new float[np];
        ScoreRow(d, 0, end, sClip);
        PerformanceRow(d, 0, end, clipWindow: true, pClip);
        var g = d.Grid;
        return new SymbolicFeatures(
            new FeatureMatrix(sData, segs.Count, ns, ScoreColumns, times, Options),
            new FeatureMatrix(pData, segs.Count, np, PerformanceColumns, times, Options),
            new FeatureMatrix(sClip, 1, ns, ScoreColumns, [0.0], Options),
            new FeatureMatrix(pClip, 1, np, PerformanceColumns, [0.0], Options),
            new GridSummary(g.Kind, g.TempoBpm, g.Fit, g.PulseClarity), length, FromCache: false);
    }

    /// <summary>
    /// Reads SMF bytes (<see cref="MidiReader"/>) and computes their features through <paramref name="cache"/> when given:
    /// the key is <see cref="FeatureCache.Key"/> of SHA-256(MIDI bytes) + the clip length, and the canonical options plus the
    /// matrix's role (score/performance × segments/clip, grid), so any option or content change is a miss.
    /// </summary>
    public SymbolicFeatures Compute(ReadOnlySpan<byte> midi, string source, int? lengthSamples = null, FeatureCache? cache = null)
    {
        if (cache is null) return Compute(MidiReader.Read(midi, source), lengthSamples);
        var canonical = FeatureCache.CanonicalOptions(Options) + "/v" + CacheVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var content = FeatureCache.Sha256Hex(midi) + "/length=" + (lengthSamples?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "score");
        string[] roles = ["score-segments", "performance-segments", "score-clip", "performance-clip", "grid"];
        var hits = new FeatureMatrix?[roles.Length];
        bool all = true;
        for (int i = 0; i < roles.Length && all; i++)
            all = cache.TryGet(FeatureCache.Key(content, canonical + "/" + roles[i]), canonical + "/" + roles[i], out hits[i]);
        if (all && hits[4]!.Rows == 5 && hits[0]!.Columns == ScoreColumns.Count && hits[1]!.Columns == PerformanceColumns.Count)
        {
            var g = hits[4]!.FrameTimes; // the grid summary rides in the float64 row times (exact round trip)
            return new SymbolicFeatures(hits[0]!, hits[1]!, hits[2]!, hits[3]!,
                new GridSummary((BeatGridKind)(int)g[0], g[1], g[2], g[3]), (int)g[4], FromCache: true);
        }
        var f = Compute(MidiReader.Read(midi, source), lengthSamples);
        double[] gridValues = [(int)f.Grid.Kind, f.Grid.TempoBpm, f.Grid.Fit, f.Grid.PulseClarity, f.LengthSamples];
        var grid = new FeatureMatrix([.. gridValues.Select(v => (float)v)], gridValues.Length, 1, ["value"], gridValues, Options);
        var mats = new[] { f.ScoreSegments, f.PerformanceSegments, f.ScoreClip, f.PerformanceClip, grid };
        for (int i = 0; i < roles.Length; i++) cache.Put(FeatureCache.Key(content, canonical + "/" + roles[i]), canonical + "/" + roles[i], mats[i]);
        return f;
    }

    // ---------------------------------------------------------------- score view

    private void ScoreRow(ScoreData d, double t0, double t1, Span<float> o)
    {
        o.Clear();
        double len = t1 - t0;
        int n0 = d.FirstNoteAt(t0), n1 = d.FirstNoteAt(t1), n = n1 - n0;
        int c0 = d.FirstClusterAt(t0), c1 = d.FirstClusterAt(t1), nc = c1 - c0;
        var w = new RowWriter(o);

        // density and polyphony
        w.Put(n);
        w.Put(n / len);
        w.Put(nc / len);
        w.Put(nc == 0 ? 0 : n / (double)nc);
        var (polyMean, polyMax) = Polyphony(d, t0, t1, n1);
        w.Put(polyMean); w.Put(polyMax);
        w.Put(SoundingFraction(d, t0, t1, n1));

        // pitch and register (per note struck in the window)
        double pm = 0, pmin = 0, pmax = 0, ps = 0; int low = 0, mid = 0, high = 0;
        if (n > 0)
        {
            pmin = double.MaxValue; pmax = double.MinValue;
            for (int i = n0; i < n1; i++)
            {
                int p = d.Pitch[i];
                pm += p; pmin = Math.Min(pmin, p); pmax = Math.Max(pmax, p);
                if (p < 48) low++; else if (p < 72) mid++; else high++;
            }
            pm /= n;
            for (int i = n0; i < n1; i++) ps += (d.Pitch[i] - pm) * (d.Pitch[i] - pm);
            ps = Math.Sqrt(ps / n);
        }
        w.Put(pm); w.Put(ps); w.Put(pmin); w.Put(pmax); w.Put(pmax - pmin);
        double top = 0, bass = 0;
        for (int c = c0; c < c1; c++) { top += d.CTop[c]; bass += d.CBass[c]; }
        w.Put(nc == 0 ? 0 : top / nc); w.Put(nc == 0 ? 0 : bass / nc);
        w.Put(n == 0 ? 0 : low / (double)n); w.Put(n == 0 ? 0 : mid / (double)n); w.Put(n == 0 ? 0 : high / (double)n);

        // duration-weighted pitch-class histogram, entropy, key
        Span<double> pc = stackalloc double[12];
        pc.Clear();
        for (int i = 0; i < n1; i++)
        {
            double ov = Math.Min(d.Harm[i], t1) - Math.Max(d.On[i], t0);
            if (ov > 0) pc[d.Pitch[i] % 12] += ov;
        }
        double pcSum = 0;
        foreach (var v in pc) pcSum += v;
        if (pcSum > 0) for (int j = 0; j < 12; j++) pc[j] /= pcSum;
        double ent = 0;
        foreach (var v in pc) if (v > 0) ent -= v * Math.Log2(v);
        for (int j = 0; j < 12; j++) w.Put(pc[j]);
        w.Put(ent);
        var key = KeyFinder.Estimate(pc);
        for (int j = 0; j < 12; j++) w.Put(key.Valid ? pc[(j + key.Tonic) % 12] : 0);
        w.Put(key.Tonic); w.Put(key.Valid ? (key.IsMajor ? 1 : 0) : 0); w.Put(key.Correlation); w.Put(key.Clarity); w.Put(key.ModeStrength);
        for (int j = 0; j < 24; j++) w.Put(key.Correlations[j]);

        // melodic intervals of the top voice (successive clusters both in the window)
        Span<double> mi = stackalloc double[6];
        mi.Clear();
        double miAbs = 0, miSum = 0, miSq = 0; int nmi = 0, up = 0, moves = 0;
        for (int c = c0 + 1; c < c1; c++)
        {
            int iv = d.CTop[c] - d.CTop[c - 1], a = Math.Abs(iv);
            mi[a == 0 ? 0 : a <= 2 ? 1 : a <= 4 ? 2 : a <= 7 ? 3 : a <= 11 ? 4 : 5]++;
            miAbs += a; miSum += iv; miSq += iv * (double)iv; nmi++;
            if (iv != 0) { moves++; if (iv > 0) up++; }
        }
        for (int j = 0; j < 6; j++) w.Put(nmi == 0 ? 0 : mi[j] / nmi);
        w.Put(nmi == 0 ? 0 : miAbs / nmi);
        w.Put(nmi == 0 ? 0 : Math.Sqrt(Math.Max(0, miSq / nmi - (miSum / nmi) * (miSum / nmi))));
        w.Put(moves == 0 ? 0 : up / (double)moves);

        // chords (sonorities of ≥ 3 pitch classes), harmonic rhythm, consonance
        Span<double> q = stackalloc double[9];
        q.Clear();
        int chords = 0, changes = 0, lastRoot = -1; var lastQ = ChordQuality.None;
        double hur = 0, rough = 0; int nh = 0, nr = 0;
        for (int c = c0; c < c1; c++)
        {
            var cq = d.CChord[c];
            if (cq != ChordQuality.None)
            {
                chords++;
                q[(int)cq - 1]++;
                if (cq != ChordQuality.Other)
                {
                    if (lastQ != ChordQuality.None && (cq != lastQ || d.CRoot[c] != lastRoot)) changes++;
                    lastQ = cq; lastRoot = d.CRoot[c];
                }
            }
            if (d.CHasDyad[c]) { hur += d.CHuron[c]; nh++; }
            if (d.CHasPair[c]) { rough += d.CRough[c]; nr++; }
        }
        w.Put(nc == 0 ? 0 : chords / (double)nc);
        // ChordQuality order: Major, Minor, Diminished, Augmented, Suspended, Dominant7, Major7, Minor7, Other
        for (int j = 0; j < 9; j++) w.Put(chords == 0 ? 0 : q[j] / chords);
        w.Put(changes / len);
        w.Put(nh == 0 ? 0 : hur / nh);
        w.Put(nr == 0 ? 0 : rough / nr);

        // rhythm: inter-onset intervals of clusters both in the window
        int nioi = Math.Max(0, nc - 1);
        Span<double> bins = stackalloc double[IoiBins];
        bins.Clear();
        double iMean = 0, iSq = 0, pvi = 0;
        for (int c = c0 + 1; c < c1; c++)
        {
            double ioi = d.CTime[c] - d.CTime[c - 1];
            bins[IoiBin(ioi)]++;
            iMean += ioi; iSq += ioi * ioi;
            if (c >= c0 + 2)
            {
                double prev = d.CTime[c - 1] - d.CTime[c - 2];
                pvi += Math.Abs(ioi - prev) / ((ioi + prev) / 2);
            }
        }
        double iEnt = 0;
        if (nioi > 0)
        {
            foreach (var b in bins) if (b > 0) iEnt -= b / nioi * Math.Log2(b / nioi);
            iMean /= nioi;
        }
        double iStd = nioi == 0 ? 0 : Math.Sqrt(Math.Max(0, iSq / nioi - iMean * iMean));
        w.Put(iEnt);
        w.Put(nioi >= 2 ? 100 * pvi / (nioi - 1) : 0);
        w.Put(iMean > 0 ? iStd / iMean : 0);

        // syncopation (Longuet-Higgins & Lee on a sixteenth grid below the beat) and off-beat onsets
        double sync = 0, off = 0; int nsync = 0, nq = 0;
        if (d.Grid.Kind != BeatGridKind.None)
        {
            for (int c = c0; c < c1; c++)
            {
                long g = Sixteenth(d.Grid, d.CTime[c]);
                nq++;
                if (FloorMod(g, 4) != 0) off++;
                if (c + 1 >= d.C) continue;
                long gn = Sixteenth(d.Grid, d.CTime[c + 1]);
                nsync++;
                if (gn <= g + 1) continue;
                int wMax = FloorDiv(gn - 1, 4) > FloorDiv(g, 4) ? 0 : FloorDiv(gn - 1, 2) > FloorDiv(g, 2) ? -1 : -2;
                sync += Math.Max(0, wMax - MetricWeight(g));
            }
        }
        w.Put(nsync == 0 ? 0 : sync / nsync);
        w.Put(nq == 0 ? 0 : off / nq);
        w.Done("score");
    }

    /// <summary>Number of log-spaced IOI bins: quarter-octave bins from 31.25 ms; bin 0 holds shorter IOIs, bin 27 those ≥ 4 s.</summary>
    internal const int IoiBins = 28;

    internal static int IoiBin(double ioi) => ioi <= 0 ? 0 : Math.Clamp((int)Math.Floor(4 * Math.Log2(ioi / 0.03125)), 0, IoiBins - 1);

    private static long Sixteenth(BeatGrid g, double t) => (long)Math.Round(4 * g.BeatPosition(t), MidpointRounding.AwayFromZero);

    private static long FloorMod(long a, long m) => ((a % m) + m) % m;

    private static long FloorDiv(long a, long m) => (long)Math.Floor(a / (double)m);

    /// <summary>LHL metrical weight of sixteenth position g: 0 on a beat, −1 on an eighth, −2 on a sixteenth.</summary>
    internal static int MetricWeight(long g) => FloorMod(g, 4) == 0 ? 0 : FloorMod(g, 2) == 0 ? -1 : -2;

    /// <summary>Writes a row left to right; non-finite values become 0 (no NaN ever leaves the extractor).</summary>
    private ref struct RowWriter(Span<float> o)
    {
        private readonly Span<float> _o = o;
        private int _k;

        public void Put(double v) => _o[_k++] = double.IsFinite(v) ? (float)v : 0f;

        public readonly void Done(string view)
        {
            if (_k != _o.Length) throw new InvalidOperationException($"{view} row wrote {_k} of {_o.Length} columns");
        }
    }

    private static (double Mean, double Max) Polyphony(ScoreData d, double t0, double t1, int n1)
    {
        var ev = new List<(double T, int Delta)>();
        double area = 0;
        for (int i = 0; i < n1; i++)
        {
            double a = Math.Max(d.On[i], t0), b = Math.Min(d.Off[i], t1);
            if (b <= a) continue;
            area += b - a;
            ev.Add((a, 1)); ev.Add((b, -1));
        }
        ev.Sort((x, y) => x.T != y.T ? x.T.CompareTo(y.T) : x.Delta.CompareTo(y.Delta)); // releases before presses at one instant
        int cur = 0, max = 0;
        foreach (var e in ev) { cur += e.Delta; max = Math.Max(max, cur); }
        return (area / (t1 - t0), max);
    }

    private static double SoundingFraction(ScoreData d, double t0, double t1, int n1)
    {
        double covered = 0, curA = double.NaN, curB = double.NaN;
        for (int i = 0; i < n1; i++) // onsets ascending
        {
            double a = Math.Max(d.On[i], t0), b = Math.Min(d.Harm[i], t1);
            if (b <= a) continue;
            if (double.IsNaN(curA) || a > curB) { if (!double.IsNaN(curA)) covered += curB - curA; curA = a; curB = b; }
            else curB = Math.Max(curB, b);
        }
        if (!double.IsNaN(curA)) covered += curB - curA;
        return covered / (t1 - t0);
    }

    // ---------------------------------------------------------------- performance view

    private void PerformanceRow(ScoreData d, double t0, double t1, bool clipWindow, Span<float> o)
    {
        o.Clear();
        double len = t1 - t0;
        int n0 = d.FirstNoteAt(t0), n1 = d.FirstNoteAt(t1), n = n1 - n0;
        int c0 = d.FirstClusterAt(t0), c1 = d.FirstClusterAt(t1), nc = c1 - c0;
        var w = new RowWriter(o);

        // velocity statistics and contour
        double vm = 0, vs = 0, vmin = 0, vmax = 0;
        if (n > 0)
        {
            vmin = double.MaxValue; vmax = double.MinValue;
            for (int i = n0; i < n1; i++) { vm += d.Vel[i]; vmin = Math.Min(vmin, d.Vel[i]); vmax = Math.Max(vmax, d.Vel[i]); }
            vm /= n;
            for (int i = n0; i < n1; i++) vs += (d.Vel[i] - vm) * (d.Vel[i] - vm);
            vs = Math.Sqrt(vs / n);
        }
        double slope = 0;
        if (n >= 2)
        {
            double tm = 0;
            for (int i = n0; i < n1; i++) tm += d.On[i];
            tm /= n;
            double num = 0, den = 0;
            for (int i = n0; i < n1; i++) { num += (d.On[i] - tm) * (d.Vel[i] - vm); den += (d.On[i] - tm) * (d.On[i] - tm); }
            slope = den > 1e-12 ? num / den : 0;
        }
        double lead = 0; int nLead = 0;
        for (int c = c0; c < c1; c++)
        {
            int s = d.CStart[c], e = d.CEnd[c];
            if (e - s < 2) continue;
            int topIdx = s;
            for (int j = s; j < e; j++) if (d.Pitch[j] > d.Pitch[topIdx]) topIdx = j;
            double rest = 0;
            for (int j = s; j < e; j++) if (j != topIdx) rest += d.Vel[j];
            lead += d.Vel[topIdx] - rest / (e - s - 1); nLead++;
        }
        w.Put(vm); w.Put(vs); w.Put(vmin); w.Put(vmax); w.Put(vmax - vmin); w.Put(slope); w.Put(nLead == 0 ? 0 : lead / nLead);

        // inter-onset intervals (s) of clusters both in the window
        var iois = new double[Math.Max(0, nc - 1)];
        for (int c = c0 + 1; c < c1; c++) iois[c - c0 - 1] = d.CTime[c] - d.CTime[c - 1];
        double im = iois.Length == 0 ? 0 : iois.Average();
        double isd = iois.Length == 0 ? 0 : Math.Sqrt(iois.Sum(x => (x - im) * (x - im)) / iois.Length);
        Array.Sort(iois);
        w.Put(im); w.Put(iois.Length == 0 ? 0 : Median(iois)); w.Put(isd);

        // tempo: local estimate (or the tempo map's), relative to the clip's, pulse clarity, timing against the grid
        var g = d.Grid;
        double tempo, clarity;
        if (clipWindow) { tempo = g.TempoBpm; clarity = g.PulseClarity; }
        else (tempo, clarity) = LocalTempo(d, t0, t1);
        w.Put(tempo);
        w.Put(tempo > 0 && g.TempoBpm > 0 ? Math.Log2(tempo / g.TempoBpm) : 0);
        w.Put(clarity);
        double dev = 0;
        if (g.Kind != BeatGridKind.None && nc > 0)
        {
            for (int c = c0; c < c1; c++) { double pos = 4 * g.BeatPosition(d.CTime[c]); dev += Math.Abs(pos - Math.Round(pos)) / 4; }
            dev /= nc;
        }
        w.Put(dev);

        // articulation: key-down duration / IOI from the note's cluster to the next cluster
        var ratios = new List<double>(n);
        double durSum = 0, extSum = 0;
        for (int i = n0; i < n1; i++)
        {
            durSum += d.Off[i] - d.On[i];
            extSum += Math.Max(0, d.Harm[i] - d.Off[i]);
            int c = d.ClusterOf[i];
            if (c + 1 >= d.C) continue;
            double ioi = d.CTime[c + 1] - d.CTime[c];
            if (ioi > 0) ratios.Add(Math.Min(Options.ArticulationCap, (d.Off[i] - d.On[i]) / ioi));
        }
        var ra = ratios.ToArray();
        Array.Sort(ra);
        w.Put(ra.Length == 0 ? 0 : ra.Average());
        w.Put(ra.Length == 0 ? 0 : Median(ra));
        w.Put(ra.Length == 0 ? 0 : ra.Count(r => r < Options.StaccatoRatio) / (double)ra.Length);
        w.Put(ra.Length == 0 ? 0 : ra.Count(r => r >= Options.LegatoRatio) / (double)ra.Length);
        w.Put(n == 0 ? 0 : durSum / n);
        w.Put(n == 0 || !Options.HarmonyUsesPedal ? 0 : extSum / n);

        // sustain pedal: fraction of the window held down, state changes per second
        double down = 0; int changes = 0; bool state = false; double since = t0;
        foreach (var (time, isDown) in d.Pedal)
        {
            if (time >= t1) break;
            if (time < t0) { state = isDown; continue; }
            if (state) down += time - since;
            state = isDown; since = time; changes++;
        }
        if (state) down += t1 - since;
        w.Put(down / len); w.Put(changes / len);
        w.Done("performance");
    }

    private (double Bpm, double Clarity) LocalTempo(ScoreData d, double t0, double t1)
    {
        var go = Options.Grid;
        double mid = (t0 + t1) / 2, half = Math.Max(go.Tempo.LocalWindowSeconds, t1 - t0) / 2;
        int f0 = Math.Max(0, (int)Math.Floor((mid - half) * go.EnvelopeRate));
        int f1 = Math.Min(d.Envelope.Length, (int)Math.Ceiling((mid + half) * go.EnvelopeRate));
        var slice = f1 > f0 ? d.Envelope.AsSpan(f0, f1 - f0) : Span<float>.Empty;
        var g = d.Grid;
        double clipTempo = g.TempoBpm;
        var est = TempoEstimator.Estimate(slice, go.EnvelopeRate, go.Tempo,
                                          priorBpm: clipTempo > 0 ? clipTempo : null, priorStdOctaves: clipTempo > 0 ? go.Tempo.LocalStdOctaves : null);
        double bpm = g.Kind switch
        {
            BeatGridKind.None => 0,
            BeatGridKind.TempoMap => g.BpmOver(t0, t1),
            _ => CountClusters(d, f0 / go.EnvelopeRate, f1 / go.EnvelopeRate) >= go.MinOnsets && est.Valid ? est.Bpm : clipTempo,
        };
        return (bpm, est.PulseClarity);
    }

    private static int CountClusters(ScoreData d, double t0, double t1) => d.FirstClusterAt(t1) - d.FirstClusterAt(t0);

    private static double Median(double[] sorted)
    {
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
