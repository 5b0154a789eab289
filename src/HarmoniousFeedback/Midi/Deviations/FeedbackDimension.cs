namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// The six aspects of a performance a teacher gives feedback on. Each <see cref="DeviationKind"/> belongs to exactly
/// one dimension; a score of 1 in a dimension means "as the score asks".
/// </summary>
public enum FeedbackDimension
{
    /// <summary>The right notes: wrong (substituted) notes and extra notes lower it.</summary>
    Pitch,
    /// <summary>Note-to-note timing against the beat: onset jitter lowers it.</summary>
    Rhythm,
    /// <summary>Pace: rushing/dragging a passage and a drifting or wrong overall tempo lower it.</summary>
    Tempo,
    /// <summary>Loudness shaping: flattened, exaggerated or sudden dynamics lower it.</summary>
    Dynamics,
    /// <summary>How long notes sound and connect: staccato/legato where the score asks otherwise and pedal misuse lower it.</summary>
    Articulation,
    /// <summary>Whether every written note is played: missed notes lower it.</summary>
    Completeness,
}
