namespace HarmoniousFeedback.Experiments;

/// <summary>
/// One recommender's results over every evaluated user-week: HitRate@k and NDCG@k against the next week's plays,
/// acceptance of the first offer and within the allowed rounds, the mean number of offers, and — except for the
/// reference row — the paired difference to the popularity baseline with its 95 % bootstrap CI (resampling users).
/// </summary>
public sealed record RecommenderScore(string Name, double HitRate, double Ndcg, double FirstOfferAcceptance, double Acceptance, double MeanOffers)
{
    public (double Mean, double Lower, double Upper)? HitRateVsPopularity { get; init; }
    public (double Mean, double Lower, double Upper)? NdcgVsPopularity { get; init; }
    public (double Mean, double Lower, double Upper)? AcceptanceVsPopularity { get; init; }
}
