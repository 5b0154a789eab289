namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// The kinds of planted performance deviations. Each has its own spec record (e.g. <see cref="WrongNotesDeviation"/>)
/// that documents how its intensity in [0, 1] maps to physical amounts, and belongs to one <see cref="FeedbackDimension"/>.
/// </summary>
public enum DeviationKind
{
    /// <summary>Pitch substitutions by ±1..±2 semitones (<see cref="WrongNotesDeviation"/>); dimension pitch.</summary>
    WrongNotes,
    /// <summary>Notes struck that the score does not have (<see cref="ExtraNotesDeviation"/>); dimension pitch.</summary>
    ExtraNotes,
    /// <summary>Written notes not played (<see cref="MissedNotesDeviation"/>); dimension completeness.</summary>
    MissedNotes,
    /// <summary>Random per-note onset displacement (<see cref="OnsetJitterDeviation"/>); dimension rhythm.</summary>
    OnsetJitter,
    /// <summary>Rushing or dragging a passage: a local tempo change (<see cref="LocalTempoDeviation"/>); dimension tempo.</summary>
    LocalTempo,
    /// <summary>Tempo drifting over the clip or a wrong overall tempo (<see cref="GlobalTempoDeviation"/>); dimension tempo.</summary>
    GlobalTempo,
    /// <summary>Velocities compressed toward their mean (<see cref="FlattenedDynamicsDeviation"/>); dimension dynamics.</summary>
    DynamicsFlattened,
    /// <summary>Velocities spread away from their mean (<see cref="ExaggeratedDynamicsDeviation"/>); dimension dynamics.</summary>
    DynamicsExaggerated,
    /// <summary>A sudden loud or soft passage (<see cref="SuddenDynamicsDeviation"/>); dimension dynamics.</summary>
    DynamicsSudden,
    /// <summary>Notes cut short and the pedal lifted (<see cref="StaccatoDeviation"/>); dimension articulation.</summary>
    Staccato,
    /// <summary>Notes held longer, into the next ones (<see cref="LegatoDeviation"/>); dimension articulation.</summary>
    Legato,
    /// <summary>The sustain pedal held through changes (<see cref="PedalHeldDeviation"/>); dimension articulation.</summary>
    PedalHeld,
    /// <summary>Pedal presses the score asks for left out (<see cref="PedalMissingDeviation"/>); dimension articulation.</summary>
    PedalMissing,
}
