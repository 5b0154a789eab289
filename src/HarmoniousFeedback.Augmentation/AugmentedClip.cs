using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Augmentation;

/// <summary>One augmented copy and the parameters that made it (record them with the training data).</summary>
/// <param name="Clip">The augmented audio.</param>
/// <param name="Copy">The copy index it was drawn for.</param>
/// <param name="Rate">Speed factor applied (1 = unchanged).</param>
/// <param name="NSteps">Pitch shift applied, in semitones (the effective value, see <see cref="PitchShiftResult"/>).</param>
public sealed record AugmentedClip(AudioClip Clip, int Copy, double Rate, double NSteps);
