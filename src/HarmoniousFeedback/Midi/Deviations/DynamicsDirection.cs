namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>Direction of a sudden dynamics change.</summary>
public enum DynamicsDirection
{
    Louder,
    Softer,
}
