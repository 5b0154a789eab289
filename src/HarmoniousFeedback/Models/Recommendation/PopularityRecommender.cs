namespace HarmoniousFeedback.Models.Recommendation;

/// <summary>
/// The popularity baseline: every user gets the pieces with the most plays by all users in weeks 0 … w (ties: lower
/// piece index first); after a rejection, the next most popular piece.
/// </summary>
public sealed class PopularityRecommender : IPieceRecommender
{
    private readonly ListeningLog _log;
    private readonly int _pieces;
    private readonly Dictionary<int, int[]> _orderByWeek = new();
    private readonly Lock _gate = new();

    public PopularityRecommender(ListeningLog log, int pieces)
    {
        _log = log;
        _pieces = pieces;
    }

    public string Name => "Popularity";

    /// <summary>All pieces by plays through week <paramref name="week"/>, most played first.</summary>
    public int[] Order(int week)
    {
        lock (_gate)
        {
            if (_orderByWeek.TryGetValue(week, out var o)) return o;
            var totals = _log.PlayTotals(_pieces, week);
            return _orderByWeek[week] = [.. Enumerable.Range(0, _pieces).OrderByDescending(i => totals[i]).ThenBy(i => i)];
        }
    }

    public int[] Rank(int user, int week, int n) => Order(week).Take(n).ToArray();

    public int NextOffer(int user, int week, IReadOnlyList<int> rejected) => Order(week).First(i => !rejected.Contains(i));
}
