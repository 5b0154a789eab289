namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Top-k ranking metrics of a recommendation list against graded relevance (e.g. next week's play counts).
/// <list type="bullet">
/// <item>HitRate@k = 1 if any of the first k items has relevance &gt; 0, else 0 (averaged over lists it is the hit rate).</item>
/// <item>DCG@k = Σ_{r=1..k} rel_r / log2(r + 1) (linear gain, Järvelin &amp; Kekäläinen 2002; sklearn's <c>dcg_score</c>);
/// NDCG@k = DCG@k / IDCG@k, IDCG the DCG of the k most relevant items in decreasing order; 0 when nothing is relevant
/// (sklearn's <c>ndcg_score</c> convention for an all-zero truth).</item>
/// </list>
/// </summary>
public static class RankingMetrics
{
    public static double HitRate(IReadOnlyList<int> ranked, Func<int, double> relevance, int k)
    {
        CheckK(k);
        for (int r = 0; r < Math.Min(k, ranked.Count); r++) if (relevance(ranked[r]) > 0) return 1;
        return 0;
    }

    public static double Dcg(IReadOnlyList<int> ranked, Func<int, double> relevance, int k)
    {
        CheckK(k);
        double dcg = 0;
        for (int r = 0; r < Math.Min(k, ranked.Count); r++) dcg += relevance(ranked[r]) / Math.Log2(r + 2);
        return dcg;
    }

    /// <param name="ranked">The recommended items, best first.</param>
    /// <param name="relevances">Relevance of every relevant item (items not listed have relevance 0); gives the ideal ordering.</param>
    /// <param name="k">Cut-off, ≥ 1.</param>
    public static double Ndcg(IReadOnlyList<int> ranked, IReadOnlyDictionary<int, double> relevances, int k)
    {
        CheckK(k);
        foreach (var (item, rel) in relevances)
            if (!(rel >= 0) || double.IsInfinity(rel)) throw new MetricInputException("relevances", $"item {item} has relevance {rel}; relevances must be finite and >= 0");
        var ideal = relevances.Values.OrderByDescending(v => v).Take(k).ToArray();
        double idcg = 0;
        for (int r = 0; r < ideal.Length; r++) idcg += ideal[r] / Math.Log2(r + 2);
        if (idcg == 0) return 0;
        return Dcg(ranked, i => relevances.GetValueOrDefault(i), k) / idcg;
    }

    private static void CheckK(int k)
    {
        if (k < 1) throw new MetricInputException("k", $"cut-off k = {k} must be >= 1");
    }
}
