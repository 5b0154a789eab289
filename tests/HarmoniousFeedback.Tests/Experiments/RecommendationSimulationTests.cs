using HarmoniousFeedback.Experiments;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Models.Recommendation;
using Xunit;

namespace HarmoniousFeedback.Tests.Experiments;

public class RecommendationSimulationTests
{
    /// <summary>
    /// 96 clips of 48 songs (2 clips each), 4 emotions; feature e of every step is 1 + noise for emotion e and noise
    /// elsewhere (noise uniform in [0, 0.3)), so a small LSTM learns the emotion from the sequence.
    /// </summary>
    private static (FeatureMatrix[] Sequences, string[] Labels, string[] Groups) Corpus()
    {
        var rng = new SplitMix64(5);
        int n = 96;
        var labels = Enumerable.Range(0, n).Select(i => $"Q{1 + i / 2 % 4}").ToArray();
        var groups = Enumerable.Range(0, n).Select(i => $"song{i / 2}").ToArray();
        var seqs = Enumerable.Range(0, n).Select(i =>
        {
            int t = 3 + i % 2, e = i / 2 % 4;
            var d = new float[t * 4];
            for (int s = 0; s < t; s++)
                for (int j = 0; j < 4; j++) d[s * 4 + j] = (j == e ? 1f : 0f) + 0.3f * (float)rng.NextDouble();
            return new FeatureMatrix(d, t, 4, ["f0", "f1", "f2", "f3"], Enumerable.Range(0, t).Select(k => 3.0 * k).ToArray());
        }).ToArray();
        return (seqs, labels, groups);
    }

    private static RecommendationSimulationOptions Options() => new()
    {
        // few plays per week, so a 10-item list does not hit by chance; moods persist and steer plays strongly
        Simulation = new ListeningSimulationOptions { Users = 80, Weeks = 4, PlaysPerWeek = 4, MoodPersistence = 0.9, MoodAffinity = 8, Seed = 3 },
        Classifier = LstmClassifierOptions.Tuned with { Layers = 1, HiddenSize = 8, AttentionDim = 4, MaxEpochs = 60, BatchSize = 16 },
        Bootstrap = 200,
        Seed = 2,
    };

    [Fact]
    public void The_emotion_recommender_beats_popularity_on_hit_rate_and_ndcg_when_moods_steer_listening()
    {
        var (seqs, labels, groups) = Corpus();
        var result = RecommendationSimulation.Run(seqs, labels, groups, Options());

        // the estimator must have learnt the (easy) catalog emotions, else the comparison says nothing about the method
        Assert.True(result.CatalogAccuracy >= 0.9, $"catalog accuracy {result.CatalogAccuracy}");
        var emotion = result.Scores[0];
        var popularity = Assert.Single(result.Scores, s => s.Name == "Popularity");
        Assert.True(emotion.HitRate > popularity.HitRate, $"hit rate {emotion.HitRate} vs popularity {popularity.HitRate}");
        Assert.True(emotion.Ndcg > popularity.Ndcg, $"NDCG {emotion.Ndcg} vs popularity {popularity.Ndcg}");
        // the paired bootstrap CI of the NDCG gain excludes 0 (the gain is not noise over 80 users)
        Assert.True(emotion.NdcgVsPopularity!.Value.Lower > 0, $"NDCG gain CI [{emotion.NdcgVsPopularity.Value.Lower}, {emotion.NdcgVsPopularity.Value.Upper}]");
        Assert.Null(popularity.NdcgVsPopularity);
        // the re-ranking of popularity learns a mood lift well above 1 and beats popularity too
        var hybrid = Assert.Single(result.Scores, s => s.Name == "Emotion × popularity (profile LSTM+AM)");
        var fit = Assert.Single(result.Fits, f => f.Name == hybrid.Name);
        Assert.True(fit.MoodLift[^1] > 2, fit.Describe());
        Assert.True(hybrid.NdcgVsPopularity!.Value.Lower > 0, $"NDCG gain CI [{hybrid.NdcgVsPopularity.Value.Lower}, {hybrid.NdcgVsPopularity.Value.Upper}]");
        Assert.True(hybrid.HitRate > popularity.HitRate, $"hit rate {hybrid.HitRate} vs popularity {popularity.HitRate}");
    }

    [Fact]
    public void A_simulation_in_which_nobody_plays_anything_is_an_error_not_a_table_of_zeros()
    {
        var (seqs, labels, groups) = Corpus();
        var o = Options() with { Simulation = Options().Simulation with { Users = 3, PlaysPerWeek = 1e-4 } };
        var e = Assert.Throws<DatasetException>(() => RecommendationSimulation.Run(seqs, labels, groups, o));
        Assert.Contains("no user played anything", e.Message);
    }

    [Fact]
    public void The_simulation_refuses_inputs_of_different_lengths()
    {
        var (seqs, labels, groups) = Corpus();
        var e = Assert.Throws<DatasetException>(() => RecommendationSimulation.Run(seqs, labels[..^1], groups, Options()));
        Assert.Contains("96 sequences, 95 labels, 96 groups", e.Message);
    }
}
