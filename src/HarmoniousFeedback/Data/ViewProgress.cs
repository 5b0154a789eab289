namespace HarmoniousFeedback.Data;

/// <summary>Progress of <see cref="DatasetViews.Extract"/>: clips done (of <see cref="Total"/>) and the clip just finished.</summary>
public sealed record ViewProgress(int Completed, int Total, string ClipId);
