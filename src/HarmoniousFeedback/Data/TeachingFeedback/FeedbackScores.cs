using HarmoniousFeedback.Midi.Deviations;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>A score in [0, 1] per <see cref="FeedbackDimension"/> (1 = as the score asks).</summary>
public sealed record FeedbackScores(double Pitch, double Rhythm, double Tempo, double Dynamics, double Articulation, double Completeness)
{
    /// <summary>All six at 1.</summary>
    public static FeedbackScores Perfect { get; } = new(1, 1, 1, 1, 1, 1);

    public double this[FeedbackDimension d] => d switch
    {
        FeedbackDimension.Pitch => Pitch,
        FeedbackDimension.Rhythm => Rhythm,
        FeedbackDimension.Tempo => Tempo,
        FeedbackDimension.Dynamics => Dynamics,
        FeedbackDimension.Articulation => Articulation,
        FeedbackDimension.Completeness => Completeness,
        _ => throw new ArgumentOutOfRangeException(nameof(d), d, "unknown feedback dimension"),
    };

    /// <summary>
    /// The dimension with the lowest score when that score is below <paramref name="threshold"/>, else
    /// <see cref="FeedbackDimensions.None"/>; ties go to the earlier dimension in <see cref="FeedbackDimensions.All"/>.
    /// </summary>
    public string DominantIssue(double threshold)
    {
        var worst = FeedbackDimensions.All[0];
        foreach (var d in FeedbackDimensions.All)
            if (this[d] < this[worst]) worst = d;
        return this[worst] < threshold ? FeedbackDimensions.Name(worst) : FeedbackDimensions.None;
    }

    /// <summary>Per-dimension minimum of two score sets.</summary>
    public FeedbackScores Min(FeedbackScores o) => new(Math.Min(Pitch, o.Pitch), Math.Min(Rhythm, o.Rhythm), Math.Min(Tempo, o.Tempo),
        Math.Min(Dynamics, o.Dynamics), Math.Min(Articulation, o.Articulation), Math.Min(Completeness, o.Completeness));

    /// <summary>Name → score in canonical order.</summary>
    public IReadOnlyDictionary<string, double> ToDictionary()
        => FeedbackDimensions.All.ToDictionary(FeedbackDimensions.Name, d => this[d], StringComparer.Ordinal);

    /// <summary>Reads the six names from a dictionary; a missing one raises <see cref="DatasetException"/>.</summary>
    public static FeedbackScores FromDictionary(IReadOnlyDictionary<string, double> scores)
    {
        double Get(FeedbackDimension d) => scores.TryGetValue(FeedbackDimensions.Name(d), out var s) ? s
            : throw new DatasetException($"feedback scores lack '{FeedbackDimensions.Name(d)}' (have: {string.Join(", ", scores.Keys)})");
        return new(Get(FeedbackDimension.Pitch), Get(FeedbackDimension.Rhythm), Get(FeedbackDimension.Tempo),
                   Get(FeedbackDimension.Dynamics), Get(FeedbackDimension.Articulation), Get(FeedbackDimension.Completeness));
    }
}
