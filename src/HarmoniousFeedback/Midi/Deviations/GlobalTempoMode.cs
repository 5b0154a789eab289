namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>Shape of a <see cref="GlobalTempoDeviation"/>.</summary>
public enum GlobalTempoMode
{
    /// <summary>The tempo moves linearly from the written one to the final ratio over the clip.</summary>
    Drift,
    /// <summary>The whole clip at one wrong tempo.</summary>
    Constant,
}
