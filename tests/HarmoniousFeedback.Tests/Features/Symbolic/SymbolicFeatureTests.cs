using HarmoniousFeedback.Features;
using HarmoniousFeedback.Features.Symbolic;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;
using Xunit;

namespace HarmoniousFeedback.Tests.Features.Symbolic;

public class SymbolicFeatureTests
{
    private static float Col(FeatureMatrix m, string name, int row = 0) => m[row, m.FeatureNames.ToList().IndexOf(name)];

    private static SymbolicFeatures Extract(MidiScore s, SymbolicFeatureOptions? o = null, double? seconds = null)
        => new SymbolicFeatureExtractor(o).Compute(s, seconds is { } x ? (int)Math.Round(x * 16000) : null);

    private static readonly SymbolicFeatureOptions Estimated = new() { Grid = new() { Source = MetricGridSource.Estimated } };
    private static readonly SymbolicFeatureOptions TempoMap = new() { Grid = new() { Source = MetricGridSource.TempoMap } };

    [Fact]
    public void Columns_are_named_distinct_and_as_documented_in_number()
    {
        Assert.Equal(98, SymbolicFeatureExtractor.ScoreColumns.Count);
        Assert.Equal(22, SymbolicFeatureExtractor.PerformanceColumns.Count);
        Assert.Equal(98, SymbolicFeatureExtractor.ScoreColumns.Distinct().Count());
        Assert.Equal(22, SymbolicFeatureExtractor.PerformanceColumns.Distinct().Count());
    }

    [Fact]
    public void A_c_major_scale_is_found_in_c_major_with_the_reference_correlation()
    {
        // C4 D4 E4 F4 G4 A4 B4 C5, 0.5 s each: duration histogram h = (2,0,1,0,1,1,0,1,0,1,0,1) (C first).
        // Reference: Pearson r of h with the Krumhansl–Kessler major profile at tonic C = 0.9014, and the next best key
        // 0.7564 (clarity 0.1450), recomputed outside this code base with a ten-line plain-Python Pearson over the published
        // profiles; 1e-3 covers float32 storage.
        int[] scale = [60, 62, 64, 65, 67, 69, 71, 72];
        var s = TestScores.Make(scale.Select((p, i) => (i * 0.5, 0.5, p, 80)));
        var f = Extract(s).ScoreClip;
        Assert.Equal(0, Col(f, "key_tonic"));
        Assert.Equal(1, Col(f, "key_mode"));
        Assert.Equal(0.9014, Col(f, "key_r"), 1e-3);
        Assert.Equal(0.1450, Col(f, "key_clarity"), 1e-3);
        Assert.True(Col(f, "mode_strength") > 0);
        Assert.Equal(Col(f, "key_r"), Col(f, "keycorr_C_major"));
    }

    [Fact]
    public void Key_finder_names_an_a_minor_triad_a_minor()
    {
        // A, C, E equally weighted: A minor, r = 0.8886 (same Python reference as the scale test).
        double[] h = new double[12];
        h[9] = h[0] = h[4] = 1;
        var k = KeyFinder.Estimate(h);
        Assert.Equal(9, k.Tonic);
        Assert.False(k.IsMajor);
        Assert.Equal(0.8886, k.Correlation, 1e-4);
        Assert.Equal("A minor", k.Name);
        Assert.False(KeyFinder.Estimate(new double[12]).Valid);
        Assert.Throws<ShapeMismatchException>(() => KeyFinder.Estimate(new double[11]));
    }

    [Theory]
    [InlineData(new[] { 9, 0, 4 }, ChordQuality.Minor, 9)]
    [InlineData(new[] { 0, 4, 7 }, ChordQuality.Major, 0)]
    [InlineData(new[] { 11, 2, 5 }, ChordQuality.Diminished, 11)]
    [InlineData(new[] { 0, 4, 8 }, ChordQuality.Augmented, 0)]
    [InlineData(new[] { 0, 5, 7 }, ChordQuality.Suspended, 0)]
    [InlineData(new[] { 7, 11, 2, 5 }, ChordQuality.Dominant7, 7)]
    [InlineData(new[] { 0, 4, 7, 11 }, ChordQuality.Major7, 0)]
    [InlineData(new[] { 2, 5, 9, 0 }, ChordQuality.Minor7, 2)]
    [InlineData(new[] { 0, 3, 6, 9 }, ChordQuality.Diminished, 0)]
    [InlineData(new[] { 0, 7 }, ChordQuality.None, -1)]
    [InlineData(new[] { 0, 1, 2, 3, 4, 5 }, ChordQuality.Other, -1)] // best cosine 0.71 < 0.75
    public void Chord_templates_name_the_quality_and_root(int[] pcs, ChordQuality quality, int root)
    {
        var (q, r, _) = ChordTemplates.Classify(ChordTemplates.Mask(pcs));
        Assert.Equal(quality, q);
        Assert.Equal(root, r);
    }

    [Fact]
    public void A_played_a_minor_chord_is_counted_as_minor()
    {
        // A3 C4 E4 struck within 20 ms (a performed chord), held 1 s; then silence.
        var s = TestScores.Make([(0.00, 1.0, 57, 70), (0.01, 1.0, 60, 70), (0.02, 1.0, 64, 70)]);
        var f = Extract(s).ScoreClip;
        Assert.Equal(1, Col(f, "chord_fraction"));
        Assert.Equal(1, Col(f, "chord_minor"));
        Assert.Equal(0, Col(f, "chord_major"));
        Assert.Equal(3, Col(f, "chord_size_mean"));
        Assert.Equal(3, Col(f, "polyphony_max"));
        // Huron (1994): A–C ic3 0.594, C–E ic4 0.386, A–E ic5 1.240 → mean per dyad 0.740
        Assert.Equal((0.594 + 0.386 + 1.240) / 3, Col(f, "consonance_huron"), 1e-6);
    }

    [Fact]
    public void Sethares_dissonance_is_zero_at_unison_and_peaks_where_its_derivative_vanishes()
    {
        // d(Δ) = e^(−b1·s·Δ) − e^(−b2·s·Δ) peaks at Δ* = ln(b2/b1) / (s·(b2 − b1)), s = 0.24/(0.0207·f + 18.96).
        Assert.Equal(0, Consonance.PartialDissonance(440, 1, 440, 1), 12);
        double s = 0.24 / (0.0207 * 440 + 18.96), peak = Math.Log(5.75 / 3.5) / (s * (5.75 - 3.5));
        double atPeak = Consonance.PartialDissonance(440, 1, 440 + peak, 1);
        Assert.True(atPeak > Consonance.PartialDissonance(440, 1, 440 + 0.9 * peak, 1));
        Assert.True(atPeak > Consonance.PartialDissonance(440, 1, 440 + 1.1 * peak, 1));
        Assert.True(Consonance.Roughness(60, 61) > Consonance.Roughness(60, 67)); // minor second rougher than a fifth
        Assert.Equal(Consonance.Roughness(60, 67), Consonance.Roughness(67, 60));
    }

    [Theory]
    [InlineData(0.5, 120.0)]
    [InlineData(0.4, 150.0)]
    [InlineData(0.6, 100.0)]
    public void An_isochronous_sequence_gets_its_tempo_exactly(double ioi, double bpm)
    {
        // 24 onsets; every onset is a whole number of MIDI ticks (480 per quarter at 120 bpm), so the least-squares beat
        // fit recovers the period to rounding error.
        var s = TestScores.Make(TestScores.Isochronous(24, ioi, ioi / 2));
        var f = Extract(s, Estimated);
        Assert.Equal(BeatGridKind.Estimated, f.Grid.Kind);
        Assert.Equal(bpm, f.Grid.TempoBpm, 1e-6);
        Assert.Equal(bpm, Col(f.PerformanceClip, "tempo_bpm"), 1e-3);
        for (int r = 0; r < f.PerformanceSegments.Rows; r++)
            Assert.Equal(bpm, Col(f.PerformanceSegments, "tempo_bpm", r), 0.02 * bpm); // local: envelope lag resolution (10 ms)
        Assert.Equal(ioi, Col(f.PerformanceClip, "ioi_mean_s"), 1e-6);
        Assert.Equal(0, Col(f.ScoreClip, "npvi"), 1e-4);  // equal IOIs: nPVI 0
        Assert.Equal(0, Col(f.ScoreClip, "syncopation_lhl"));
        Assert.Equal(0, Col(f.PerformanceClip, "timing_deviation_beats"), 1e-6);
    }

    [Fact]
    public void Staccato_and_legato_articulation_ratios_are_the_duration_over_the_inter_onset_interval()
    {
        var staccato = Extract(TestScores.Make(TestScores.Isochronous(12, 0.5, 0.1))).PerformanceClip;
        var legato = Extract(TestScores.Make(TestScores.Isochronous(12, 0.5, 0.5))).PerformanceClip;
        Assert.Equal(0.2, Col(staccato, "articulation_mean"), 1e-4);   // 0.1 s / 0.5 s (whole ticks: exact to float32)
        Assert.Equal(1, Col(staccato, "staccato_fraction"));
        Assert.Equal(0, Col(staccato, "legato_fraction"));
        Assert.Equal(1.0, Col(legato, "articulation_mean"), 1e-4);
        Assert.Equal(0, Col(legato, "staccato_fraction"));
        Assert.Equal(1, Col(legato, "legato_fraction"));
    }

    [Fact]
    public void Pedal_held_for_half_the_clip_gives_a_pedal_fraction_of_one_half()
    {
        // 10 s clip, pedal down 0–5 s: fraction 0.5, two changes (down, up) in 10 s. Distinct pitches, so that no re-strike
        // of the same key cuts a pedal-held note short (the reader's rule).
        var s = TestScores.Make(Enumerable.Range(0, 20).Select(i => (i * 0.5, 0.25, 40 + i, 80)), pedal: [(0.0, 5.0)]);
        var f = Extract(s, seconds: 10);
        Assert.Equal(0.5, Col(f.PerformanceClip, "pedal_fraction"), 1e-6);
        Assert.Equal(0.2, Col(f.PerformanceClip, "pedal_changes_per_s"), 1e-6);
        // segments 0–3 s (all down), 3–6 s (2/3 down), 6–9 s (up)
        Assert.Equal(1, Col(f.PerformanceSegments, "pedal_fraction", 0), 1e-6);
        Assert.Equal(2 / 3.0, Col(f.PerformanceSegments, "pedal_fraction", 1), 1e-6);
        Assert.Equal(0, Col(f.PerformanceSegments, "pedal_fraction", 2), 1e-6);
        // the pedal holds each released note to 5 s: 0.25 s key-down, sounding to the pedal release
        Assert.True(Col(f.PerformanceSegments, "pedal_extension_mean_s", 0) > 1);
        Assert.Equal(0, Col(f.PerformanceSegments, "pedal_extension_mean_s", 2), 1e-6);
    }

    [Fact]
    public void A_syncopated_rhythm_scores_higher_than_the_same_onsets_on_the_beat()
    {
        // Tempo map 120 bpm (quarter = 0.5 s). On the beat: beats 0..7. Syncopated: beats 0, 1.5, 3, 4.5, 6 — the off-beat
        // eighths at 1.5 and 4.5 are followed by silence through beats 2 and 5: LHL syncopation 0 − (−1) = 1 each;
        // per note with a successor (4 of 5): (0 + 1 + 0 + 1) / 4 = 0.5. Off-beat onsets: 2 of 5 = 0.4.
        var onBeat = Extract(TestScores.Make(TestScores.Isochronous(8, 0.5, 0.25)), TempoMap).ScoreClip;
        var sync = Extract(TestScores.Make(new[] { 0, 1.5, 3, 4.5, 6 }.Select(b => (b * 0.5, 0.25, 60, 80))), TempoMap).ScoreClip;
        Assert.Equal(0, Col(onBeat, "syncopation_lhl"));
        Assert.Equal(0, Col(onBeat, "offbeat_fraction"));
        Assert.Equal(0.5, Col(sync, "syncopation_lhl"), 1e-6);
        Assert.Equal(0.4, Col(sync, "offbeat_fraction"), 1e-6);
    }

    [Fact]
    public void Auto_uses_a_tempo_map_the_onsets_fit_and_estimates_when_they_do_not()
    {
        // Quantised at 100 bpm (quarter 0.6 s): the onsets sit on the map's grid → TempoMap at 100 bpm.
        var quantised = Extract(TestScores.Make(TestScores.Isochronous(16, 0.3, 0.2), bpm: 100));
        Assert.Equal(BeatGridKind.TempoMap, quantised.Grid.Kind);
        Assert.Equal(100, quantised.Grid.TempoBpm, 1e-6);
        // Onsets every 0.37 s written against a 120 bpm map (0.74 beats apart) fit it poorly → estimated, at 60/0.37 bpm
        // (onsets rounded to whole ticks of 1.04 ms: 0.01 bpm), and the estimate fits them.
        var performed = Extract(TestScores.Make(TestScores.Isochronous(24, 0.37, 0.2)));
        Assert.Equal(BeatGridKind.Estimated, performed.Grid.Kind);
        Assert.Equal(60 / 0.37, performed.Grid.TempoBpm, 0.01);
        Assert.True(performed.Grid.Fit >= 0.9);
        // Too few onsets: no grid, grid columns 0.
        var few = Extract(TestScores.Make(TestScores.Isochronous(3, 0.5, 0.2)));
        Assert.Equal(BeatGridKind.None, few.Grid.Kind);
        Assert.Equal(0, Col(few.PerformanceClip, "tempo_bpm"));
    }

    [Fact]
    public void Segments_coincide_with_the_lld_segments_of_the_rendered_clip()
    {
        var s = TestScores.Make(Enumerable.Range(0, 40).Select(i => (i * 0.25, 0.2, 60 + i % 12, 90)));
        var audio = new PianoSynthesizer().Render(s);
        var lld = new LldExtractor().ComputeSegments(audio);
        var f = new SymbolicFeatureExtractor(new SymbolicFeatureOptions().AlignedWith(new LldOptions())).Compute(s, audio.Length);
        Assert.True(lld.Rows >= 3);
        Assert.Equal(lld.Rows, f.ScoreSegments.Rows);
        Assert.Equal(lld.FrameTimes, f.ScoreSegments.FrameTimes);
        Assert.Equal(lld.FrameTimes, f.PerformanceSegments.FrameTimes);
    }

    [Fact]
    public void Segments_without_onsets_report_zero_notes_and_no_nan()
    {
        // notes in 0–3 s and 6–9 s, silence in segment 1
        var s = TestScores.Make(TestScores.Isochronous(6, 0.5, 0.2).Concat(TestScores.Isochronous(6, 0.5, 0.2).Select(n => (n.Item1 + 6, n.Item2, n.Item3, n.Item4))));
        var f = Extract(s, seconds: 9);
        Assert.Equal(3, f.ScoreSegments.Rows);
        Assert.Equal(0, Col(f.ScoreSegments, "note_count", 1));
        Assert.Equal(0, Col(f.PerformanceSegments, "velocity_mean", 1));
        Assert.Equal(6, Col(f.ScoreSegments, "note_count", 0));
        Assert.All(f.ScoreSegments.Data.Concat(f.PerformanceSegments.Data).Concat(f.ScoreClip.Data), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Extraction_is_deterministic_and_the_cache_round_trips_exactly()
    {
        var bytes = TestScores.Bytes(Enumerable.Range(0, 60).Select(i => (i * 0.2 + (i % 3) * 0.01, 0.3, 48 + i * 7 % 24, 40 + i % 50)), pedal: [(1, 4), (6, 9)]);
        var ex = new SymbolicFeatureExtractor();
        var cache = new FeatureCache(TestPaths.TempDir("hfb-symbolic-cache"));
        var a = ex.Compute(bytes, "a.mid", 200_000, cache);
        var b = ex.Compute(bytes, "a.mid", 200_000, cache);
        var c = ex.Compute(MidiReader.Read(bytes), 200_000);
        Assert.False(a.FromCache);
        Assert.True(b.FromCache);
        foreach (var (x, y) in new[] { (a, b), (a, c) })
        {
            Assert.Equal(x.ScoreSegments.Data, y.ScoreSegments.Data);
            Assert.Equal(x.PerformanceSegments.Data, y.PerformanceSegments.Data);
            Assert.Equal(x.ScoreClip.Data, y.ScoreClip.Data);
            Assert.Equal(x.PerformanceClip.Data, y.PerformanceClip.Data);
            Assert.Equal(x.ScoreSegments.FrameTimes, y.ScoreSegments.FrameTimes);
            Assert.Equal(x.ScoreSegments.FeatureNames, y.ScoreSegments.FeatureNames);
            Assert.Equal(x.Grid, y.Grid);
            Assert.Equal(x.LengthSamples, y.LengthSamples);
        }
        // another length is another entry
        Assert.False(ex.Compute(bytes, "a.mid", 180_000, cache).FromCache);
    }

    [Fact]
    public void Empty_and_malformed_midi_raise_midi_format_exceptions()
    {
        var ex = new SymbolicFeatureExtractor();
        var empty = new MidiScore { Notes = [], Tempos = [], TimeSignatures = [], Controls = [], Source = "empty.mid" };
        var e = Assert.Throws<MidiFormatException>(() => ex.Compute(empty));
        Assert.Contains("no notes", e.Message);
        Assert.Throws<MidiFormatException>(() => ex.Compute(MidiWriter.ToBytes(empty), "empty.mid"));
        Assert.Throws<MidiFormatException>(() => ex.Compute("MThd\0\0\0\u0006\0"u8.ToArray(), "cut.mid"));
        Assert.Throws<MidiFormatException>(() => ex.Compute(Array.Empty<byte>(), "zero.mid"));
        var bad = new MidiScore { Notes = [new MidiNote(1, 0.5, 60, 80, 0, 0.5)], Tempos = [], TimeSignatures = [], Controls = [], Source = "bad" };
        Assert.Contains("offset", Assert.Throws<MidiFormatException>(() => ex.Compute(bad)).Message);
    }

    [Fact]
    public void Invalid_options_are_listed_together()
    {
        var e = Assert.Throws<FeatureParameterException>(() => new SymbolicFeatureExtractor(new SymbolicFeatureOptions
        {
            SegmentSeconds = 5000, PedalThreshold = 0, Grid = new MetricGridOptions { MinOnsets = 1 },
        }));
        Assert.Equal(3, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("SegmentSeconds = 5000", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("PedalThreshold = 0", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("MinOnsets = 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Simd_autocorrelation_matches_the_scalar_reference()
    {
        var rng = new SplitMix64(7);
        var x = new float[1237];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() - 0.3);
        var fast = new float[300];
        var slow = new float[300];
        TempoEstimator.Autocorrelate(x, fast);
        TempoEstimator.AutocorrelateScalar(x, slow);
        for (int l = 0; l < fast.Length; l++) Assert.Equal(slow[l], fast[l], 1e-3f * Math.Max(1, Math.Abs(slow[l]))); // float32 sums of ~1,000 products
    }
}
