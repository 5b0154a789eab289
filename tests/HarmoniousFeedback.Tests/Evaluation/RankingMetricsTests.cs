using HarmoniousFeedback.Evaluation;
using Xunit;

namespace HarmoniousFeedback.Tests.Evaluation;

public class RankingMetricsTests
{
    // ranked [3, 1, 2], relevance {1: 3, 2: 2, 5: 1} (item 5 not recommended, item 3 irrelevant):
    // DCG@3 = 0/log2(2) + 3/log2(3) + 2/log2(4) = 1.892789 + 1 = 2.892789
    // IDCG@3 = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.261860 + 0.5 = 4.761860
    // NDCG@3 = 0.6074915 (by hand; sklearn.metrics.ndcg_score([[0, 3, 2, 0, 0, 1]], [[0.2, 0.5, 0.1, 0.9, 0, 0]], k=3) gives the same)
    private static readonly int[] Ranked = [3, 1, 2];
    private static readonly Dictionary<int, double> Relevance = new() { [1] = 3, [2] = 2, [5] = 1 };

    [Fact]
    public void Dcg_and_ndcg_match_a_hand_computation_with_linear_gains()
    {
        Assert.Equal(3 / Math.Log2(3) + 1, RankingMetrics.Dcg(Ranked, i => Relevance.GetValueOrDefault(i), 3), 12);
        Assert.Equal((3 / Math.Log2(3) + 1) / (3 + 2 / Math.Log2(3) + 0.5), RankingMetrics.Ndcg(Ranked, Relevance, 3), 12);
        Assert.Equal(0.6074915, RankingMetrics.Ndcg(Ranked, Relevance, 3), 7);
    }

    [Fact]
    public void The_cut_off_limits_both_the_list_and_the_ideal_ranking()
    {
        // k = 1: the first item (3) is irrelevant → 0; k = 2: DCG = 3/log2(3), IDCG = 3 + 2/log2(3)
        Assert.Equal(0, RankingMetrics.Ndcg(Ranked, Relevance, 1));
        Assert.Equal(3 / Math.Log2(3) / (3 + 2 / Math.Log2(3)), RankingMetrics.Ndcg(Ranked, Relevance, 2), 12);
        Assert.Equal(1, RankingMetrics.Ndcg([1, 2, 5], Relevance, 3), 12);
    }

    [Fact]
    public void Hit_rate_is_one_when_any_of_the_first_k_items_is_relevant()
    {
        Assert.Equal(0, RankingMetrics.HitRate(Ranked, i => Relevance.GetValueOrDefault(i), 1));
        Assert.Equal(1, RankingMetrics.HitRate(Ranked, i => Relevance.GetValueOrDefault(i), 2));
        Assert.Equal(0, RankingMetrics.HitRate([7, 8], i => Relevance.GetValueOrDefault(i), 10));
    }

    [Fact]
    public void Nothing_relevant_gives_zero_and_bad_inputs_are_refused()
    {
        Assert.Equal(0, RankingMetrics.Ndcg(Ranked, new Dictionary<int, double>(), 3));
        Assert.Equal("k", Assert.Throws<MetricInputException>(() => RankingMetrics.Ndcg(Ranked, Relevance, 0)).Argument);
        Assert.Equal("relevances", Assert.Throws<MetricInputException>(() => RankingMetrics.Ndcg(Ranked, new Dictionary<int, double> { [1] = -1 }, 3)).Argument);
    }
}
