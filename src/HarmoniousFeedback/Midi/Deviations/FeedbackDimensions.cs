namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>Names of the <see cref="FeedbackDimension"/>s as they appear in files, JSON and class labels.</summary>
public static class FeedbackDimensions
{
    /// <summary>The class name of "no dimension below the threshold".</summary>
    public const string None = "none";

    /// <summary>All dimensions in their canonical order (pitch, rhythm, tempo, dynamics, articulation, completeness).</summary>
    public static IReadOnlyList<FeedbackDimension> All { get; } =
        [FeedbackDimension.Pitch, FeedbackDimension.Rhythm, FeedbackDimension.Tempo, FeedbackDimension.Dynamics, FeedbackDimension.Articulation, FeedbackDimension.Completeness];

    /// <summary>The dominant-issue classes: the six dimension names in canonical order, then <see cref="None"/>.</summary>
    public static IReadOnlyList<string> IssueClasses { get; } = [.. All.Select(Name), None];

    /// <summary>Lower-case name ("pitch", "rhythm", "tempo", "dynamics", "articulation", "completeness").</summary>
    public static string Name(FeedbackDimension d) => d switch
    {
        FeedbackDimension.Pitch => "pitch",
        FeedbackDimension.Rhythm => "rhythm",
        FeedbackDimension.Tempo => "tempo",
        FeedbackDimension.Dynamics => "dynamics",
        FeedbackDimension.Articulation => "articulation",
        FeedbackDimension.Completeness => "completeness",
        _ => throw new ArgumentOutOfRangeException(nameof(d), d, "unknown feedback dimension"),
    };

    /// <summary>Parses a lower-case dimension name; unknown names raise <see cref="DatasetException"/> listing the allowed ones.</summary>
    public static FeedbackDimension Parse(string name)
    {
        foreach (var d in All)
            if (Name(d) == name) return d;
        throw new DatasetException($"unknown feedback dimension '{name}' (expected one of: {string.Join(", ", All.Select(Name))})");
    }
}
