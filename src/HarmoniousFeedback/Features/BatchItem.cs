namespace HarmoniousFeedback.Features;

/// <summary>One clip to extract: an id (as in a dataset manifest) and the path of its audio file.</summary>
public sealed record BatchItem(string ClipId, string AudioPath);
