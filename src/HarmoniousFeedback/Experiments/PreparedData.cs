using HarmoniousFeedback.Data;

namespace HarmoniousFeedback.Experiments;

/// <summary>A dataset of the spec, prepared (rendered, resampled) into a folder under <c>data/</c>, with its manifest.</summary>
/// <param name="Dataset">The dataset as loaded from its source.</param>
/// <param name="Manifest">The prepared folder's manifest (clips, labels, groups, split, content hashes).</param>
/// <param name="Directory">The prepared folder.</param>
/// <param name="Name">A short name (e.g. <c>synthetic-400-s1</c>, <c>emopia</c>) for folders, progress and metrics.</param>
public sealed record PreparedData(Dataset Dataset, Manifest Manifest, string Directory, string Name);
