using HarmoniousFeedback.Midi.Deviations;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>A planted deviation with its severity: 1 − the score of its dimension over its own span.</summary>
public sealed record LabelledDeviation(PlantedDeviation Deviation, double Severity);
