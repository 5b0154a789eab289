using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Tests.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public class LldTests
{
    [Fact]
    public void Descriptor_has_50_named_columns_in_the_documented_groups()
    {
        var c = LldExtractor.SegmentColumns;
        Assert.Equal(50, c.Count);
        Assert.Equal(50, c.Distinct().Count());
        Assert.Equal(18, c.Count(n => n.StartsWith("mfcc_mean_", StringComparison.Ordinal)));
        Assert.Equal(8, c.Count(n => n.StartsWith('F') || n.StartsWith('B')));
        Assert.Equal(10, c.Count(n => n.StartsWith("energy", StringComparison.Ordinal)));
        Assert.Equal(6, c.Count(n => n.Contains("f0") || n.StartsWith("voic", StringComparison.Ordinal)));
        Assert.Equal(8, c.Count(n => n.StartsWith("zcr", StringComparison.Ordinal)));
        Assert.Equal(31, LldExtractor.FrameColumns.Count);
    }

    [Theory]
    [InlineData(7.0, 3.0, 0.0, LastSegmentPolicy.KeepIfLongEnough, 2)]  // tail 1 s < 1.5 s: dropped
    [InlineData(7.6, 3.0, 0.0, LastSegmentPolicy.KeepIfLongEnough, 3)]  // tail 1.6 s ≥ 1.5 s: kept
    [InlineData(7.0, 3.0, 0.0, LastSegmentPolicy.Keep, 3)]
    [InlineData(9.0, 3.0, 0.0, LastSegmentPolicy.Keep, 3)]              // exact fit: no empty tail
    [InlineData(7.0, 2.0, 1.0, LastSegmentPolicy.Drop, 6)]              // starts 0,1,..,5
    [InlineData(1.0, 3.0, 0.0, LastSegmentPolicy.Drop, 1)]              // shorter than one segment: one segment
    public void Segmentation_follows_the_documented_rule(double seconds, double seg, double overlap, LastSegmentPolicy policy, int expected)
    {
        var ex = new LldExtractor(new LldOptions { SegmentSeconds = seg, OverlapSeconds = overlap, LastSegment = policy });
        var s = ex.Segments((int)(seconds * 16000));
        Assert.Equal(expected, s.Count);
        Assert.Equal(0, s[0].Start);
        Assert.All(s, x => Assert.True(x.End > x.Start && x.End <= (int)(seconds * 16000)));
    }

    [Fact]
    public void Segment_statistics_agree_with_the_frame_level_variant()
    {
        var x = Synth.Harmonic(t => 200 + 50 * t, 4.0, [1, 2, 3, 4]);
        var ex = new LldExtractor(new LldOptions { SegmentSeconds = 2.0 });
        var frames = ex.ComputeFrames(x);
        var segs = ex.ComputeSegments(x);
        Assert.Equal(2, segs.Rows);
        Assert.Equal(new[] { 0.0, 2.0 }, segs.FrameTimes);
        // segment 0 holds frames with centre i·160 ∈ [0, 32000): i = 0..199
        var mf0 = Enumerable.Range(0, 200).Average(i => (double)frames[i, 0]);
        Assert.Equal(mf0, segs[0, 0], 1e-2);
        var voiced = Enumerable.Range(0, 200).Where(i => frames[i, 28] > 0).ToArray();
        Assert.Equal((double)voiced.Length / 200, segs[0, 36], 1e-6);
        Assert.Equal(voiced.Average(i => Math.Log(frames[i, 28])), segs[0, 37], 1e-4);
        var zcr = Enumerable.Range(0, 200).Select(i => (double)frames[i, 30]).ToArray();
        Assert.Equal(zcr.Min(), segs[0, 44], 1e-6); Assert.Equal(zcr.Max(), segs[0, 45], 1e-6);
        Assert.True(segs[1, 37] > segs[0, 37]); // rising glide: higher mean log-F0 in the second segment
    }

    [Fact]
    public void Unvoiced_and_silent_segments_are_deterministic_and_never_nan()
    {
        var x = new float[16000 * 3];
        DspReference.RandomSignal(16000, 3, 0.2).CopyTo(x, 16000 * 2); // silence then noise
        var ex = new LldExtractor();
        var a = ex.ComputeSegments(x); var b = ex.ComputeSegments(x);
        Assert.Equal(a.Data, b.Data);
        Assert.All(a.Data, v => Assert.True(float.IsFinite(v)));
        var silent = ex.ComputeSegments(new float[16000 * 3]);
        Assert.Equal(0f, silent[0, 36]); // voiced fraction
        for (int j = 37; j <= 41; j++) Assert.Equal(0f, silent[0, j]);
        for (int j = 18; j <= 25; j++) Assert.Equal(0f, silent[0, j]);
        Assert.Equal(-100f, silent[0, 33], 1e-3);
    }

    [Fact]
    public void Empty_clip_gives_zero_segments_and_invalid_options_are_listed()
    {
        Assert.Equal(0, new LldExtractor().ComputeSegments(Array.Empty<float>()).Rows);
        var e = Assert.Throws<FeatureParameterException>(() => new LldExtractor(new LldOptions { SegmentSeconds = 2, OverlapSeconds = 2, Mfcc = new MfccOptions { NMfcc = 13 } }));
        Assert.Equal(2, e.Problems.Count);
    }
}

public class MinMaxNormalizerTests
{
    private static FeatureMatrix M(params float[][] rows) => new(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length,
        Enumerable.Range(0, rows[0].Length).Select(i => "c" + i).ToArray(), new double[rows.Length]);

    [Fact]
    public void Fit_on_training_only_constant_columns_zero_and_test_clipped()
    {
        var train = new[] { M([0f, 5f, 1f], [10f, 5f, 3f]), M([5f, 5f, 2f]) };
        var n = MinMaxNormalizer.Fit(train);
        Assert.Equal(new[] { 0f, 5f, 1f }, n.Min); Assert.Equal(new[] { 10f, 5f, 3f }, n.Max);
        var t = n.Transform(M([5f, 7f, 4f], [-10f, 5f, 2f]));
        Assert.Equal(new[] { 0.5f, 0f, 1f, 0f, 0f, 0.5f }, t.Data); // 4 → clipped to 1, −10 → 0, constant column → 0
        var unclipped = MinMaxNormalizer.Fit(train, clipToUnitRange: false).Transform(M([20f, 5f, 4f]));
        Assert.Equal(new[] { 2f, 0f, 1.5f }, unclipped.Data);
    }

    [Fact]
    public void Mismatched_columns_and_non_finite_values_are_rejected()
    {
        var n = MinMaxNormalizer.Fit([M([0f, 1f])]);
        Assert.Throws<SchemaMismatchException>(() => n.Transform(M([0f, 1f, 2f])));
        Assert.Throws<SchemaMismatchException>(() => MinMaxNormalizer.Fit([M([0f, 1f]), M([0f, 1f, 2f])]));
        Assert.Throws<InvalidSignalException>(() => MinMaxNormalizer.Fit([M([float.NaN, 1f])]));
        Assert.Throws<SchemaMismatchException>(() => MinMaxNormalizer.Fit([]));
    }
}

public class FeatureCacheTests
{
    private static string WriteWav(string dir, string name, float[] x)
    {
        var p = Path.Combine(dir, name);
        WavWriter.Write(p, new AudioClip(x, 16000));
        return p;
    }

    [Fact]
    public void Batch_uses_the_cache_keyed_by_content_and_options_and_reports_progress()
    {
        var dir = TestPaths.TempDir("hfb-feat-cache");
        var items = Enumerable.Range(0, 4).Select(i => new BatchItem("clip" + i, WriteWav(dir, $"c{i}.wav", DspReference.RandomSignal(8000 + 1000 * i, i, 0.3)))).ToList();
        var cache = new FeatureCache(Path.Combine(dir, "cache"));
        var reports = new List<BatchProgress>();
        var progress = new SyncProgress(reports);
        var first = BatchFeatureExtractor.ForMfcc(new MfccOptions(), cache).Run(items, progress);
        Assert.All(first, r => Assert.False(r.FromCache));
        Assert.Equal(4, reports.Count);
        Assert.Equal(4, reports.Max(r => r.Completed));
        var second = BatchFeatureExtractor.ForMfcc(new MfccOptions(), cache).Run(items);
        Assert.All(second, r => Assert.True(r.FromCache));
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal("clip" + i, second[i].ClipId);
            Assert.Equal(first[i].Features.Data, second[i].Features.Data);
            Assert.Equal(first[i].Features.FrameTimes, second[i].Features.FrameTimes);
            Assert.Equal(first[i].Features.FeatureNames, second[i].Features.FeatureNames);
        }
        var other = BatchFeatureExtractor.ForMfcc(new MfccOptions { NMfcc = 13 }, cache).Run(items);
        Assert.All(other, r => Assert.False(r.FromCache)); // different options → different key
        Assert.Equal(13, other[0].Features.Columns);
        // the key depends on content, not on the path
        File.Copy(items[0].AudioPath, Path.Combine(dir, "copy.wav"));
        var copy = BatchFeatureExtractor.ForMfcc(new MfccOptions(), cache).Run([new BatchItem("copy", Path.Combine(dir, "copy.wav"))]);
        Assert.True(copy[0].FromCache);
        Assert.Empty(Directory.GetFiles(cache.Directory, "*.tmp-*"));
    }

    [Fact]
    public void Corrupt_or_truncated_entries_are_misses_and_get_rewritten()
    {
        var dir = TestPaths.TempDir("hfb-feat-cache");
        var cache = new FeatureCache(dir);
        var m = new FeatureMatrix([1f, 2f, 3f, 4f], 2, 2, ["a", "b"], [0.0, 0.01]);
        string opts = FeatureCache.CanonicalOptions(new MfccOptions());
        var key = FeatureCache.Key(FeatureCache.Sha256Hex([1, 2, 3]), opts);
        cache.Put(key, opts, m);
        Assert.True(cache.TryGet(key, opts, out var back));
        Assert.Equal(m.Data, back!.Data);
        Assert.False(cache.TryGet(key, opts + "x", out _)); // stored options must match
        var bytes = File.ReadAllBytes(cache.PathFor(key));
        File.WriteAllBytes(cache.PathFor(key), bytes[..^5]);
        Assert.False(cache.TryGet(key, opts, out _));
        Assert.NotEqual(FeatureCache.CanonicalOptions(new MfccOptions()), FeatureCache.CanonicalOptions(new MfccOptions { TopDb = 70 }));
        Assert.Contains("NMfcc = 18", opts);
    }

    [Fact]
    public void A_bad_clip_names_its_id_and_path()
    {
        var dir = TestPaths.TempDir("hfb-feat-cache");
        var bad = Path.Combine(dir, "bad.wav");
        File.WriteAllText(bad, "not a wav");
        var e = Assert.Throws<DatasetException>(() => BatchFeatureExtractor.ForMfcc(new MfccOptions()).Run([new BatchItem("x42", bad)]));
        Assert.Contains("x42", e.Message); Assert.Contains("bad.wav", e.Message);
    }

    private sealed class SyncProgress(List<BatchProgress> sink) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) { lock (sink) sink.Add(value); }
    }
}

public class BadInputTests
{
    [Fact]
    public void Empty_signal_gives_zero_frames_for_every_extractor()
    {
        var e = Array.Empty<float>();
        Assert.Equal(0, new Spectrogram().Compute(e).Rows);
        Assert.Equal(0, new Mfcc().Compute(e).Rows);
        Assert.Equal(0, new ShortTimeEnergy().Compute(e).Rows);
        Assert.Equal(0, new ZeroCrossingRate().Compute(e).Rows);
        Assert.Equal(0, new PitchTracker().Compute(e).Rows);
        Assert.Equal(0, new FormantTracker().Compute(e).Rows);
        Assert.Equal(0, new LldExtractor().ComputeFrames(e).Rows);
    }

    [Fact]
    public void Signal_shorter_than_a_frame_is_reflected_repeatedly_like_numpy()
    {
        var x = DspReference.RandomSignal(100, 1); // n_fft/2 = 256 > 100 samples: numpy reflect pads periodically
        var s = new Spectrogram().Compute(x);
        Assert.Equal(1, s.Rows);
        var r = DspReference.PowerSpectrogram(x, 512, 160, 512); // the reference uses the same numpy index rule
        Assert.True(DspReference.RelL2(s.Row(0), r[0]) < 1e-5);
        var one = new Mfcc().Compute([0.5f]);
        Assert.Equal(1, one.Rows);
        Assert.All(one.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Nan_or_infinite_samples_are_rejected_with_the_index()
    {
        var x = new float[1000]; x[417] = float.NaN;
        var e = Assert.Throws<InvalidSignalException>(() => new Mfcc().Compute(x));
        Assert.Contains("417", e.Message);
        x[417] = float.PositiveInfinity;
        Assert.Throws<InvalidSignalException>(() => new PitchTracker().Compute(x));
        Assert.Throws<InvalidSignalException>(() => new LldExtractor().ComputeSegments(x));
    }

    [Fact]
    public void Clip_at_another_rate_than_the_filterbank_is_rejected()
    {
        var clip = new AudioClip(new float[44100], 44100, "song.wav");
        var e = Assert.Throws<FeatureParameterException>(() => new Mfcc().Compute(clip));
        Assert.Contains("44100", e.Message); Assert.Contains("16000", e.Message); Assert.Contains("song.wav", e.Message);
        Assert.Equal(1 + 44100 / 160, new Mfcc(new MfccOptions { Mel = new MelSpectrogramOptions { SampleRate = 44100 } }).Compute(clip).Rows);
    }

    [Fact]
    public void All_zero_signal_gives_defined_values()
    {
        var z = new float[16000];
        Assert.All(new Spectrogram().Compute(z).Data, v => Assert.Equal(0f, v));
        Assert.All(new ZeroCrossingRate().Compute(z).Data, v => Assert.Equal(0f, v));
        Assert.All(new LldExtractor().ComputeSegments(z).Data, v => Assert.True(float.IsFinite(v)));
    }
}
