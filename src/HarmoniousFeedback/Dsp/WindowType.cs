namespace HarmoniousFeedback.Dsp;

/// <summary>Analysis window shapes.</summary>
public enum WindowType
{
    /// <summary>Hann: <c>w[m] = 0.5 − 0.5·cos(2πm/D)</c>.</summary>
    Hann,
    /// <summary>Hamming: <c>w[m] = 0.54 − 0.46·cos(2πm/D)</c>.</summary>
    Hamming,
    /// <summary>All ones (no windowing).</summary>
    Rectangular,
}
