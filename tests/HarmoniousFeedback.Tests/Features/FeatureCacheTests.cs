using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Tests.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

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
