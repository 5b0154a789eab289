using HarmoniousFeedback.Data;

namespace HarmoniousFeedback.Models.Recommendation;

/// <summary>The random baseline: a seeded permutation of the catalog per (user, week); offers walk down it.</summary>
public sealed class RandomRecommender(int pieces, int seed) : IPieceRecommender
{
    public string Name => "Random";

    private int[] Order(int user, int week)
    {
        var r = DeterministicRandom.For(seed, "random-recommender", (long)user * 100_003 + week);
        var o = Enumerable.Range(0, pieces).ToArray();
        r.Shuffle(o);
        return o;
    }

    public int[] Rank(int user, int week, int n) => Order(user, week).Take(n).ToArray();

    public int NextOffer(int user, int week, IReadOnlyList<int> rejected) => Order(user, week).First(i => !rejected.Contains(i));
}
