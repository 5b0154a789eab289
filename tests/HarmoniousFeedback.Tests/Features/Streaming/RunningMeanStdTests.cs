using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Features.Streaming;
using Xunit;

namespace HarmoniousFeedback.Tests.Features.Streaming;

public class RunningMeanStdTests
{
    [Fact]
    public void Streamed_clip_statistics_match_the_two_pass_ones_to_one_float_ulp()
    {
        // 60 s of MFCC frames (6001 rows) streamed in blocks of 256 frames vs FeatureStatistics.MeanStd of the whole matrix.
        var x = StreamingSignals.Recording(60 * 16000);
        var whole = FeatureStatistics.MeanStd(new Mfcc().Compute(x));
        var running = new RunningMeanStd(18);
        StreamingFeatureExtractor.Mfcc(new MfccOptions(), new StreamingOptions { BlockFrames = 256 })
            .Run(() => AudioStreamReader.FromClip(new AudioClip(x, 16000)), running.Add);
        var streamed = running.MeanStd();
        Assert.Equal(6001, running.Count);
        for (int j = 0; j < 18; j++)
            Assert.Equal(whole[j], streamed[j]); // the same sum in the same order: identical means
        for (int j = 18; j < 36; j++)
        {
            // Welford vs Σ(x − mean)²: different roundings in double (≈ 1e-12 relative), at most one float32 ulp apart.
            int ulps = Math.Abs(BitConverter.SingleToInt32Bits(whole[j]) - BitConverter.SingleToInt32Bits(streamed[j]));
            Assert.True(ulps <= 1, $"std {j - 18}: two-pass {whole[j]:R}, Welford {streamed[j]:R}");
        }
    }

    [Fact]
    public void Known_values_give_the_population_mean_and_std()
    {
        var r = new RunningMeanStd(2);
        r.Add(new FeatureMatrix([2, 10, 4, 10, 4, 10, 4, 10, 5, 10, 5, 10, 7, 10, 9, 10], 8, 2, ["a", "b"], new double[8]));
        // Column a: 2, 4, 4, 4, 5, 5, 7, 9 → mean 5, population std 2 (the textbook example); column b constant → std 0.
        Assert.Equal(new float[] { 5, 10, 2, 0 }, r.MeanStd());
        Assert.Equal(new float[4], new RunningMeanStd(2).MeanStd());
    }
}
