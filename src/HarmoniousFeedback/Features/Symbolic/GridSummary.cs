namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>
/// The beat grid a <see cref="SymbolicFeatures"/> was computed with: its kind, the clip tempo (bpm), the fraction of onset
/// clusters on a sixteenth/eighth-triplet position (<see cref="BeatGrid.Fit"/>) and the clip's pulse clarity.
/// </summary>
public sealed record GridSummary(BeatGridKind Kind, double TempoBpm, double Fit, double PulseClarity);
