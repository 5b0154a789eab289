using HarmoniousFeedback.Data;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.Recommendation;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.Recommendation;

public class RecommenderTests
{
    private static FeatureMatrix Seq(params float[][] rows) =>
        new(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length, Enumerable.Range(0, rows[0].Length).Select(j => $"f{j}").ToArray(), rows.Select((_, t) => 3.0 * t).ToArray());

    [Fact]
    public void The_profile_is_a_step_wise_play_weighted_average_over_the_pieces_that_reach_each_step()
    {
        // weights 3 and 1; step 0: (3·[1, 2] + 1·[5, 6]) / 4 = [2, 3]; step 1 exists only in the first: [7, 8]
        var p = EmotionRecommender.WeightedAverage([(Seq([1, 2], [7, 8]), 3), (Seq([5, 6]), 1)]);
        Assert.Equal(2, p.Rows);
        Assert.Equal([2f, 3f, 7f, 8f], p.Data);
        Assert.Throws<ShapeMismatchException>(() => EmotionRecommender.WeightedAverage([(Seq([1, 2]), 1), (Seq([1]), 1)]));
    }

    private static ListeningLog Log(params IReadOnlyDictionary<int, int>[][] userWeeks) =>
        new(userWeeks.Select(w => (IReadOnlyList<IReadOnlyDictionary<int, int>>)w).ToList(), userWeeks.Select(w => new int[w.Length]).ToList());

    [Fact]
    public void The_emotion_recommender_ranks_the_estimated_emotion_first_then_by_popularity_and_moves_on_after_a_rejection()
    {
        // 6 pieces, predicted emotions [0, 1, 1, 2, 0, 1]; the estimator reads feature 0 of the profile: > 0.5 → emotion 1 (p = .6), else emotion 2
        var seqs = Enumerable.Range(0, 6).Select(i => Seq([i is 1 or 2 ? 1f : 0f])).ToArray();
        int[] predicted = [0, 1, 1, 2, 0, 1];
        float[] Estimate(FeatureMatrix m) => m[0, 0] > 0.5f ? [0.1f, 0.6f, 0.2f, 0.1f] : [0.1f, 0.1f, 0.7f, 0.1f];
        // user 0 plays piece 2 five times and piece 3 once in week 0; user 1 plays piece 5 (popular) in week 0
        var log = Log(
            [new Dictionary<int, int> { [2] = 5, [3] = 1 }, new Dictionary<int, int>()],
            [new Dictionary<int, int> { [5] = 9, [0] = 2 }, new Dictionary<int, int>()]);
        var rec = new EmotionRecommender(log, seqs, predicted, Estimate, topK: 1);
        Assert.Equal([0.1f, 0.6f, 0.2f, 0.1f], rec.EstimateEmotion(0, 0)!);
        // emotion 1 pieces (1, 2, 5) by popularity through week 0 (5: 9 plays, 2: 5, 1: 0), then emotion 2 (3), then 0 (0: 2 plays, 4: 0)
        Assert.Equal([5, 2, 1, 3, 0, 4], rec.Rank(0, 0, 6));
        // rejecting piece 5 (emotion 1) rules emotion 1 out: the next offer is the best emotion-2 piece
        Assert.Equal(3, rec.NextOffer(0, 0, [5]));
        // a week without plays has no estimate: popularity
        Assert.Null(rec.EstimateEmotion(0, 1));
        Assert.Equal(new PopularityRecommender(log, 6).Rank(0, 1, 6), rec.Rank(0, 1, 6));
    }

    [Fact]
    public void Popularity_and_random_baselines_never_offer_a_piece_twice()
    {
        var log = Log([new Dictionary<int, int> { [2] = 3, [1] = 1 }]);
        var pop = new PopularityRecommender(log, 4);
        Assert.Equal([2, 1, 0, 3], pop.Rank(0, 0, 4));
        Assert.Equal(0, pop.NextOffer(0, 0, [2, 1]));
        var rnd = new RandomRecommender(4, 1);
        var offers = new List<int>();
        for (int i = 0; i < 4; i++) offers.Add(rnd.NextOffer(0, 0, offers));
        Assert.Equal([0, 1, 2, 3], offers.Order());
        Assert.Equal(rnd.Rank(0, 0, 4), new RandomRecommender(4, 1).Rank(0, 0, 4));
    }

    [Fact]
    public void The_simulator_is_deterministic_and_its_moods_persist_and_steer_plays()
    {
        var emotions = Enumerable.Range(0, 200).Select(i => i % 4).ToArray();
        var o = new ListeningSimulationOptions { Users = 400, Weeks = 6, MoodPersistence = 0.7, MoodAffinity = 4, Seed = 3 };
        var a = new ListeningSimulator(emotions, 4, o).Simulate();
        var b = new ListeningSimulator(emotions, 4, o).Simulate();
        Assert.Equal(a.Moods.SelectMany(m => m), b.Moods.SelectMany(m => m));
        Assert.Equal(a.Plays.SelectMany(u => u.SelectMany(w => w.OrderBy(kv => kv.Key))), b.Plays.SelectMany(u => u.SelectMany(w => w.OrderBy(kv => kv.Key))));
        // 400 users × 5 transitions = 2000 draws with ρ = 0.7: the stay rate is within ±0.04 (> 4 binomial SDs of 0.0102)
        double stay = a.Moods.Average(m => Enumerable.Range(1, m.Length - 1).Count(w => m[w] == m[w - 1]) / (double)(m.Length - 1));
        Assert.InRange(stay, 0.66, 0.74);
        // plays of mood-congruent pieces: β = 4 with a quarter of the catalog per emotion gives 4/(4 + 3) ≈ 0.57 of plays in expectation (popularity and taste are independent of emotion)
        double congruent = 0, total = 0;
        for (int u = 0; u < a.Users; u++)
            for (int w = 0; w < a.Weeks; w++)
                foreach (var (piece, count) in a.Plays[u][w]) { total += count; if (emotions[piece] == a.Moods[u][w]) congruent += count; }
        Assert.InRange(congruent / total, 0.50, 0.64);
    }

    [Fact]
    public void Poisson_draws_have_the_requested_mean()
    {
        var r = DeterministicRandom.For(1, "poisson-test", 0);
        // 20000 draws of Poisson(6): SD of the mean √(6/20000) = 0.017; ±0.07 is 4 SDs
        Assert.InRange(Enumerable.Range(0, 20000).Average(_ => ListeningSimulator.Poisson(6, r)), 5.93, 6.07);
    }

    [Fact]
    public void Simulation_options_report_every_invalid_value()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new ListeningSimulationOptions { Users = 0, Weeks = 1, MoodAffinity = 0.5, AcceptMatch = 2 }.Validate());
        Assert.Equal(4, e.Problems.Count);
    }
}
