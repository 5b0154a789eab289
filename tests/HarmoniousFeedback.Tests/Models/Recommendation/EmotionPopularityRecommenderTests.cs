using HarmoniousFeedback.Models.Recommendation;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.Recommendation;

public class EmotionPopularityRecommenderTests
{
    private const int Pieces = 40, Emotions = 4;

    private static int[] TrueEmotions() => Enumerable.Range(0, Pieces).Select(i => i % Emotions).ToArray();

    private static float[][] OneHot(int[] emotions) =>
        emotions.Select(e => Enumerable.Range(0, Emotions).Select(k => k == e ? 1f : 0f).ToArray()).ToArray();

    /// <summary>Listeners whose mood never changes, so an oracle estimate of this week's mood is next week's mood too.</summary>
    private static ListeningLog Simulate(double affinity, double tasteSigma = 1) =>
        new ListeningSimulator(TrueEmotions(), Emotions, new ListeningSimulationOptions
        {
            Users = 400, Weeks = 6, PlaysPerWeek = 8, MoodPersistence = 1, MoodAffinity = affinity, TasteSigma = tasteSigma, Seed = 11,
        }).Simulate();

    private static Func<int, int, float[]?> OracleMood(ListeningLog log) =>
        (u, w) => log.Plays[u][w].Count == 0 ? null : Enumerable.Range(0, Emotions).Select(k => k == log.Moods[u][w] ? 1f : 0f).ToArray();

    [Theory]
    [InlineData(4.0, 3.2, 5.0)]
    [InlineData(1.0, 0.85, 1.18)]
    public void The_fitted_mood_lift_recovers_the_simulated_affinity_when_the_estimates_are_exact(double affinity, double lower, double upper)
    {
        var log = Simulate(affinity);
        var rec = new EmotionPopularityRecommender(log, OneHot(TrueEmotions()), OracleMood(log));
        Assert.Equal(1.0, rec.MoodLift(0)); // nothing observed yet
        double lift = rec.MoodLift(4);
        Assert.InRange(lift, lower, upper);
    }

    [Fact]
    public void The_personal_weight_is_large_when_tastes_differ_and_near_zero_when_they_do_not()
    {
        var tastes = EmotionPopularityRecommender.PersonalPopularity(Simulate(1, tasteSigma: 1.5), Pieces);
        Assert.InRange(tastes.PersonalWeight(4), 0.3, 0.95);
        Assert.Equal(1.0, tastes.MoodLift(4)); // no emotion: no lift
        var same = EmotionPopularityRecommender.PersonalPopularity(Simulate(1, tasteSigma: 0), Pieces);
        Assert.InRange(same.PersonalWeight(4), 0, 0.1);
        Assert.Equal(0.0, tastes.PersonalWeight(0)); // nothing observed yet: popularity
        var log = Simulate(1, tasteSigma: 1.5);
        Assert.Equal(new PopularityRecommender(log, Pieces).Rank(3, 0, Pieces), EmotionPopularityRecommender.PersonalPopularity(log, Pieces).Rank(3, 0, Pieces));
    }

    [Fact]
    public void An_uninformative_estimate_leaves_the_lift_at_one_and_the_ranking_at_popularity()
    {
        var log = Simulate(4);
        var uniform = Enumerable.Repeat(0.25f, Emotions).ToArray();
        var rec = new EmotionPopularityRecommender(log, OneHot(TrueEmotions()), (u, w) => log.Plays[u][w].Count == 0 ? null : uniform);
        Assert.Equal(1.0, rec.MoodLift(4));
        var popularity = new PopularityRecommender(log, Pieces);
        for (int u = 0; u < 5; u++) Assert.Equal(popularity.Rank(u, 4, Pieces), rec.Rank(u, 4, Pieces));
    }

    [Fact]
    public void Pieces_are_ranked_by_smoothed_plays_times_the_lift_of_their_match_with_the_user()
    {
        var log = Simulate(4);
        var q = OneHot(TrueEmotions());
        var mood = OracleMood(log);
        var rec = new EmotionPopularityRecommender(log, q, mood, smoothing: 1);
        int user = Enumerable.Range(0, log.Users).First(u => log.Plays[u][4].Count > 0);
        double lift = rec.MoodLift(4);
        var totals = log.PlayTotals(Pieces, 4);
        var p = mood(user, 4)!;
        var score = Enumerable.Range(0, Pieces).Select(i => (totals[i] + 1) * (1 + (lift - 1) * Enumerable.Range(0, Emotions).Sum(e => p[e] * q[i][e]))).ToArray();
        var expected = Enumerable.Range(0, Pieces).OrderByDescending(i => score[i]).ThenByDescending(i => totals[i]).ThenBy(i => i).Take(10).ToArray();
        Assert.Equal(expected, rec.Rank(user, 4, 10));
        // with a lift of 4 the user's mood dominates the top of the list
        Assert.True(rec.Rank(user, 4, 10).Count(i => TrueEmotions()[i] == log.Moods[user][4]) >= 7);
    }

    [Fact]
    public void A_rejection_discounts_the_rejected_emotion_and_later_offers_move_to_the_others()
    {
        var log = Simulate(4);
        var emotions = TrueEmotions();
        var rec = new EmotionPopularityRecommender(log, OneHot(emotions), OracleMood(log));
        int user = Enumerable.Range(0, log.Users).First(u => log.Plays[u][4].Count > 0);
        int first = rec.NextOffer(user, 4, []);
        Assert.Equal(log.Moods[user][4], emotions[first]);
        // one-hot piece probabilities: the rejected emotion is ruled out (the paper's rule), so the next offer is another emotion
        int second = rec.NextOffer(user, 4, [first]);
        Assert.NotEqual(emotions[first], emotions[second]);
        // every emotion ruled out: popularity order, still never an offered piece
        var offered = new List<int>();
        for (int k = 0; k < Emotions + 3; k++) offered.Add(rec.NextOffer(user, 4, offered));
        Assert.Equal(offered.Count, offered.Distinct().Count());
    }

    [Fact]
    public void Inconsistent_inputs_are_refused_with_what_was_wrong()
    {
        var log = Simulate(1);
        var e = Assert.Throws<ShapeMismatchException>(() => new EmotionPopularityRecommender(log, [[0.5f, 0.5f], [1f, 0f, 0f]], (_, _) => null));
        Assert.Contains("3 and 2 entries", e.Message);
        Assert.Throws<ShapeMismatchException>(() => new EmotionPopularityRecommender(log, [], (_, _) => null));
        var o = Assert.Throws<OptionsValidationException>(() => new EmotionPopularityRecommender(log, [[0.5f, 0.5f]], (_, _) => null, smoothing: 0));
        Assert.Contains("smoothing = 0 must be a finite number > 0", o.Message);
    }
}
