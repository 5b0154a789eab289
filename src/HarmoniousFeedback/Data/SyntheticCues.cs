namespace HarmoniousFeedback.Data;

/// <summary>The emotion cues a synthetic piece was composed with (ground truth for analyses; never model input).</summary>
public sealed record SyntheticCues(
    bool Major, double Bpm, int MelodyBasePitch, double MeanVelocity, double Articulation, bool Pedal,
    double Dissonance, double Density, bool BusyAccompaniment);
