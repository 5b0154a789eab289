namespace HarmoniousFeedback.Features;

/// <summary>Progress of a batch: clips done so far (of <see cref="Total"/>), the clip just finished and whether it came from the cache.</summary>
public sealed record BatchProgress(int Completed, int Total, string ClipId, bool FromCache);
