namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>The auxiliary emotion-category task of <see cref="JointAudioText"/>.</summary>
public enum AuxiliaryTask
{
    /// <summary>Single-task: the 4-quadrant label only.</summary>
    None,
    /// <summary>
    /// Two binary categories derived from the quadrant (Russell's circumplex, EMOPIA's definition): arousal high (Q1, Q2)
    /// vs low (Q3, Q4) and valence positive (Q1, Q4) vs negative (Q2, Q3).
    /// </summary>
    ArousalValence,
}
