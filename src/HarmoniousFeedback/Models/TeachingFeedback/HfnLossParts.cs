namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>The terms of one batch's HFN objective (unweighted values; <see cref="Total"/> is the weighted sum that is optimised).</summary>
public sealed record HfnLossParts(double Total, double Issue, double Emotion, double Scores, double Frames, double Integration, double L2, double MeanReward);
