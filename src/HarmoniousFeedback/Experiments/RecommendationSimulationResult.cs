using System.Globalization;
using HarmoniousFeedback.Plotting;
using HarmoniousFeedback.Reporting;

namespace HarmoniousFeedback.Experiments;

/// <summary>What <see cref="RecommendationSimulation.Run"/> measured, as numbers, a table and a figure.</summary>
public sealed record RecommendationSimulationResult
{
    public required IReadOnlyList<RecommenderScore> Scores { get; init; }
    public required RecommendationSimulationOptions Options { get; init; }
    public required IReadOnlyList<string> Classes { get; init; }
    public int CatalogSize { get; init; }
    public int ClassifierTrainingClips { get; init; }
    /// <summary>Share of catalog pieces whose predicted emotion is their true one.</summary>
    public double CatalogAccuracy { get; init; }
    /// <summary>User-weeks evaluated (the next week has plays).</summary>
    public int UserWeeks { get; init; }
    /// <summary>User-weeks with plays in the observed week (an emotion estimate exists).</summary>
    public int EstimatedUserWeeks { get; init; }
    /// <summary>Share of estimates equal to the latent mood of the observed week / of the following week.</summary>
    public double EmotionAccuracyThisWeek { get; init; }
    public double EmotionAccuracyNextWeek { get; init; }
    /// <summary>The parameters every <see cref="Models.Recommendation.EmotionPopularityRecommender"/> fitted after each evaluated week.</summary>
    public IReadOnlyList<FittedRecommender> Fits { get; init; } = [];
    /// <summary>What the emotion adds to the user's own history: emotion × personal popularity − personal popularity, HitRate@k and NDCG@k, mean and 95 % CI.</summary>
    public ((double Mean, double Lower, double Upper) HitRate, (double Mean, double Lower, double Upper) Ndcg) EmotionOverPersonal { get; init; }

    /// <summary>One row per recommender: HitRate@k, NDCG@k, acceptance (first offer, within the rounds), offers, and the differences to popularity with 95 % CIs.</summary>
    public Table ToTable()
    {
        int k = Options.ListLength;
        var t = new Table(new[]
        {
            new TableColumn("Recommender"), new TableColumn($"HitRate@{k} (%)", ColumnAlignment.Right), new TableColumn($"NDCG@{k} (%)", ColumnAlignment.Right),
            new TableColumn("Accepted 1st offer (%)", ColumnAlignment.Right), new TableColumn($"Accepted ≤ {Options.Rounds} offers (%)", ColumnAlignment.Right),
            new TableColumn("Offers", ColumnAlignment.Right), new TableColumn("Δ HitRate vs popularity [95 % CI]", ColumnAlignment.Right),
            new TableColumn("Δ NDCG vs popularity [95 % CI]", ColumnAlignment.Right),
        });
        var bestHit = Scores.Max(s => s.HitRate);
        var bestNdcg = Scores.Max(s => s.Ndcg);
        foreach (var s in Scores)
            t.AddRow(s.Name, new TableCell(RecommendationSimulation.Pct(s.HitRate), s.HitRate == bestHit), new TableCell(RecommendationSimulation.Pct(s.Ndcg), s.Ndcg == bestNdcg),
                RecommendationSimulation.Pct(s.FirstOfferAcceptance), RecommendationSimulation.Pct(s.Acceptance), s.MeanOffers.ToString("F2", CultureInfo.InvariantCulture),
                Diff(s.HitRateVsPopularity), Diff(s.NdcgVsPopularity));
        t.Caption = $"Emotion-aware recommendation with {Options.Simulation.Users} simulated users × {Options.Simulation.Weeks} weeks ({UserWeeks} user-weeks), catalog of {CatalogSize} pieces";
        t.Note = string.Create(CultureInfo.InvariantCulture,
            $"Emotion estimate (3-layer LSTM+AM on the play-weighted top-{Options.TopK} profile) = latent mood of the observed week in {100 * EmotionAccuracyThisWeek:F1} % and of the next week in {100 * EmotionAccuracyNextWeek:F1} % of {EstimatedUserWeeks} user-weeks; catalog emotions predicted correctly for {100 * CatalogAccuracy:F1} % of pieces (estimator trained on {ClassifierTrainingClips} other clips). Δ in percentage points, paired over user-weeks, 95 % bootstrap CI resampling users (B = {Options.Bootstrap}). Emotion × personal popularity − personal popularity: HitRate {Diff(EmotionOverPersonal.HitRate)}, NDCG {Diff(EmotionOverPersonal.Ndcg)}. Fitted after weeks 0 … {Options.Simulation.Weeks - 2} (mood lift λ, personal weight ω): {string.Join("; ", Fits.Select(f => f.Describe()))}.");
        return t;
    }

    private static string Diff((double Mean, double Lower, double Upper)? d) => d is { } v
        ? string.Create(CultureInfo.InvariantCulture, $"{100 * v.Mean:+0.0;-0.0;0.0} [{100 * v.Lower:+0.0;-0.0;0.0}, {100 * v.Upper:+0.0;-0.0;0.0}]")
        : "—";

    /// <summary>Grouped bars: HitRate@k, NDCG@k and acceptance per recommender.</summary>
    public Figure ToFigure()
    {
        var fig = new Figure(720, 420) { Title = $"Recommender simulation ({Options.Simulation.Users} users × {Options.Simulation.Weeks} weeks)" };
        fig.XAxis.Categories = [$"HitRate@{Options.ListLength}", $"NDCG@{Options.ListLength}", "accepted 1st offer", $"accepted ≤ {Options.Rounds}"];
        fig.YAxis.Label = "%";
        foreach (var s in Scores)
            fig.AddBars([100 * s.HitRate, 100 * s.Ndcg, 100 * s.FirstOfferAcceptance, 100 * s.Acceptance], name: s.Name);
        fig.Legend = LegendPosition.OutsideRight;
        return fig;
    }
}
