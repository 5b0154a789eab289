using System.Text.Json;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Views;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline.Views;

public class FeatureViewTests
{
    [Fact]
    public void Views_take_the_experiment_defaults_and_their_own_parameters()
    {
        var d = new ViewDefaults { SampleRate = 22050, SegmentSeconds = 2, Tail = TailHandling.Keep };
        var lld = FeatureViewRegistry.Default.Get("lld").Configure(null, d);
        Assert.Equal(ColumnType.Sequence(50), lld.Type);
        Assert.True(lld.Normalizable);
        var mfcc = FeatureViewRegistry.Default.Get("mfcc").Configure(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{ "nMfcc": 13 }"""), d);
        Assert.Equal(ColumnType.Vector(26), mfcc.Type);
        Assert.False(mfcc.Normalizable);
        Assert.Equal("mfcc12_std", mfcc.SlotNames![^1]);
        var e = Assert.Throws<OptionsValidationException>(() => FeatureViewRegistry.Default.Get("lld").Configure(
            JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{ "overlap": 1.5, "hop": 3 }"""), d, "features.views.lld"));
        Assert.Contains("features.views.lld.overlap = 1.5 must be in [0, 0.99]", e.Problems);
        Assert.Contains("features.views.lld.hop is not a parameter of view lld (allowed: segmentSeconds, overlap, tail)", e.Problems);
    }

    [Fact]
    public void MeanStd_pools_frames_into_means_then_population_standard_deviations()
    {
        var m = new FeatureMatrix([1, 10, 3, 10, 5, 10], 3, 2, ["a", "b"], [0, 1, 2]);
        Assert.Equal([3f, 10f, (float)Math.Sqrt(8.0 / 3), 0f], FeatureStatistics.MeanStd(m));
        Assert.Equal(new float[4], FeatureStatistics.MeanStd(new FeatureMatrix([], 0, 2, ["a", "b"], [])));
        var o = MfccStatsViewOptions.ReferenceMfcc(16000);
        Assert.Equal(20, o.NMfcc);
        Assert.Equal(16000, o.Mel.SampleRate);
    }

    [Fact]
    public void SilentTail_drops_trailing_segments_30_db_below_the_loudest_and_keeps_one()
    {
        int col = LldExtractor.SegmentColumns.ToList().IndexOf("energy_db_mean");
        FeatureMatrix Segments(params float[] energies)
        {
            var data = new float[energies.Length * 50];
            for (int i = 0; i < energies.Length; i++) data[i * 50 + col] = energies[i];
            return new FeatureMatrix(data, energies.Length, 50, LldExtractor.SegmentColumns, energies.Select((_, i) => 3.0 * i).ToArray());
        }
        Assert.Equal(2, SilentTail.Trim(Segments(-10, -20, -45, -60)).Rows);
        Assert.Equal(3, SilentTail.Trim(Segments(-10, -60, -20)).Rows); // only a trailing run is dropped
        Assert.Equal(1, SilentTail.Trim(Segments(-60)).Rows);
    }
}
