namespace HarmoniousFeedback.Experiments;

/// <summary>One epoch of a unit's training curve (0-based epoch; validation values when a validation split was held out).</summary>
public sealed record EpochPoint(int Epoch, double Loss, double? ValLoss, double? ValAccuracy);
