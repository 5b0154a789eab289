using System.Globalization;

namespace HarmoniousFeedback.Experiments;

/// <summary>The parameters an <see cref="Models.Recommendation.EmotionPopularityRecommender"/> fitted after each evaluated week w = 0 … W − 2.</summary>
public sealed record FittedRecommender(string Name, IReadOnlyList<double> MoodLift, IReadOnlyList<double> PersonalWeight)
{
    /// <summary>"name: λ = 1.00, 2.33, …, ω = 0.00, 0.45, …".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: λ = {string.Join(", ", MoodLift.Select(l => l.ToString("F2", CultureInfo.InvariantCulture)))}, ω = {string.Join(", ", PersonalWeight.Select(l => l.ToString("F2", CultureInfo.InvariantCulture)))}");
}
