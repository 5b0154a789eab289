using System.Globalization;

namespace HarmoniousFeedback.Models.Recommendation;

/// <summary>
/// Parameters of the generative model of <see cref="ListeningSimulator"/> (docs/multimodal.md, "Recommender simulation"):
/// how many users and weeks, how moods drift, how strongly the mood steers listening, how concentrated popularity and
/// taste are, and how a user answers a recommendation.
/// </summary>
public sealed record ListeningSimulationOptions
{
    public int Users { get; init; } = 300;
    /// <summary>Simulated weeks per user (recommendations are made after weeks 1 … Weeks − 1 and judged on the following week).</summary>
    public int Weeks { get; init; } = 6;
    /// <summary>ρ: probability that next week's mood equals this week's.</summary>
    public double MoodPersistence { get; init; } = 0.7;
    /// <summary>Given a change, probability of moving to an adjacent quadrant (same valence or same arousal) rather than the opposite one.</summary>
    public double AdjacentDrift { get; init; } = 0.8;
    /// <summary>β: play-weight multiplier of pieces whose emotion equals the user's mood of the week (1 = mood does not matter).</summary>
    public double MoodAffinity { get; init; } = 4.0;
    /// <summary>Mean plays per user per week (Poisson; each user's rate is this times a log-normal activity factor, σ 0.5, mean 1).</summary>
    public double PlaysPerWeek { get; init; } = 25;
    /// <summary>σ of the log-normal global popularity of a piece.</summary>
    public double PopularitySigma { get; init; } = 1.0;
    /// <summary>σ of the log-normal personal affinity of a user for a piece.</summary>
    public double TasteSigma { get; init; } = 1.0;
    /// <summary>Probability that a user accepts an offered piece whose emotion matches the current mood.</summary>
    public double AcceptMatch { get; init; } = 0.7;
    /// <summary>Probability of accepting a piece of another emotion.</summary>
    public double AcceptMismatch { get; init; } = 0.15;
    public int Seed { get; init; } = 1;

    public void Validate()
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        var v = new OptionsValidator(nameof(ListeningSimulationOptions));
        v.InRange(nameof(Users), Users, 1, 1_000_000);
        v.InRange(nameof(Weeks), Weeks, 2, 520);
        v.Check(MoodPersistence is >= 0 and <= 1, $"MoodPersistence = {F(MoodPersistence)} must be in [0, 1]");
        v.Check(AdjacentDrift is >= 0 and <= 1, $"AdjacentDrift = {F(AdjacentDrift)} must be in [0, 1]");
        v.Check(MoodAffinity >= 1 && double.IsFinite(MoodAffinity), $"MoodAffinity = {F(MoodAffinity)} must be >= 1");
        v.Check(PlaysPerWeek is > 0 and <= 10_000, $"PlaysPerWeek = {F(PlaysPerWeek)} must be in (0, 10000]");
        v.Check(PopularitySigma is >= 0 and <= 5, $"PopularitySigma = {F(PopularitySigma)} must be in [0, 5]");
        v.Check(TasteSigma is >= 0 and <= 5, $"TasteSigma = {F(TasteSigma)} must be in [0, 5]");
        v.Check(AcceptMatch is >= 0 and <= 1, $"AcceptMatch = {F(AcceptMatch)} must be in [0, 1]");
        v.Check(AcceptMismatch is >= 0 and <= 1, $"AcceptMismatch = {F(AcceptMismatch)} must be in [0, 1]");
        v.ThrowIfAny();
    }
}
