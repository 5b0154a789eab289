namespace HarmoniousFeedback.Features;

/// <summary>The features of one clip.</summary>
public sealed record BatchResult(string ClipId, FeatureMatrix Features, bool FromCache);
