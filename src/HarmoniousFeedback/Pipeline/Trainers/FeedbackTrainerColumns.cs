namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>The columns a <see cref="FeedbackTrainer"/> reads.</summary>
/// <param name="Student">The performance's normalised log-mel (view <c>logmel</c>), Sequence[*, n_mels].</param>
/// <param name="Reference">The aligned reference log-mel (view <c>reference-logmel</c>); null without the reference stream.</param>
/// <param name="Alignment">The alignment features (view <c>alignment</c>); null for none.</param>
/// <param name="Notes">The clip-level note comparison with the score (view <c>score-notes</c>), Vector[Q]; null for none.</param>
public sealed record FeedbackTrainerColumns(string Student, string? Reference = null, string? Alignment = null, string? Notes = null)
{
    public string Label { get; init; } = "Label";
    public string Targets { get; init; } = FeedbackColumns.Targets;
    public string Spans { get; init; } = FeedbackColumns.Spans;
    /// <summary>Group (reference piece) ids for the validation split; null or absent = every row its own group.</summary>
    public string? Group { get; init; } = "Group";
}
