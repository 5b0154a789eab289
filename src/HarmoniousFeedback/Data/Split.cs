namespace HarmoniousFeedback.Data;

/// <summary>Official partition a clip belongs to.</summary>
public enum Split
{
    Train,
    Validation,
    Test,
}
