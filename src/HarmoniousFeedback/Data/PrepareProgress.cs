namespace HarmoniousFeedback.Data;

/// <summary>Progress report after each clip (called from worker threads; handlers must be thread-safe).</summary>
public readonly record struct PrepareProgress(int Done, int Total, string ClipId, PrepareAction Action);
