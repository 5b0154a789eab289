namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>The <c>majority</c> baseline has no hyperparameters.</summary>
public sealed record MajorityOptions;
