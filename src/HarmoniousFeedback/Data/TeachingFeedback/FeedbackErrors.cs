namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// The raw per-dimension errors of a scope (<see cref="FeedbackLabeler.Errors"/>), before they become scores.
/// </summary>
/// <param name="Pitch">Salience-weighted fraction of wrong and extra notes: (Σ wrong wᵢkᵢ + Σ extra wₓkₓ) / Σ written wᵢ.</param>
/// <param name="Completeness">Salience-weighted fraction of missed notes.</param>
/// <param name="RhythmRmsSeconds">RMS of the planted onset displacement (played − clean onset) of played written notes.</param>
/// <param name="TempoMeanAbsLogStretch">Mean |ln λ| of <see cref="Midi.Deviations.StudentPerformance.PlantedTempo"/> over the scope.</param>
/// <param name="LevelErrorDb">Mean |L(v_played) − L(v_clean)| in dB.</param>
/// <param name="ContrastError">|ln(σ(L_played)/σ(L_clean))|, 0 when the clean spread is below the rules' minimum or fewer than 3 notes.</param>
/// <param name="ArticulationError">Mean |ln(D_played/D_clean)| of clamped sounding durations.</param>
/// <param name="WrittenNotes">Written notes anchored in the scope (played or missed).</param>
public sealed record FeedbackErrors(
    double Pitch, double Completeness, double RhythmRmsSeconds, double TempoMeanAbsLogStretch,
    double LevelErrorDb, double ContrastError, double ArticulationError, int WrittenNotes);
