namespace HarmoniousFeedback.Dsp;

/// <summary>Mel frequency scale.</summary>
public enum MelScale
{
    /// <summary>HTK/O'Shaughnessy: <c>mel(f) = 2595·log10(1 + f/700)</c> (torchaudio default).</summary>
    Htk,
    /// <summary>Slaney (Auditory Toolbox, librosa default): linear <c>f/(200/3)</c> below 1 kHz, then <c>15 + ln(f/1000)/(ln 6.4/27)</c>.</summary>
    Slaney,
}
