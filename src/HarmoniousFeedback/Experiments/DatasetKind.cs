namespace HarmoniousFeedback.Experiments;

/// <summary>The kinds of dataset an experiment reads. <see cref="Feedback"/> is the teaching-feedback corpus (docs/datasets.md):
/// student renditions of reference pieces with planted deviations, built from the embedded synthetic pieces (no source, or
/// <c>"synthetic"</c>) or from an EMOPIA/VGMIDI folder, rendered by every renderer of <see cref="DatasetSpec.Renderers"/>.</summary>
public enum DatasetKind { Synthetic, Emopia, Vgmidi, Folder, Feedback }
