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
