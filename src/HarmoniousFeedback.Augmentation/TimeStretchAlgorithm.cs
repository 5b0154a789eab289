namespace HarmoniousFeedback.Augmentation;

/// <summary>Time-scale modification algorithms (NWaves' implementations).</summary>
public enum TimeStretchAlgorithm
{
    /// <summary>Phase vocoder (Flanagan &amp; Golden 1966; librosa's <c>time_stretch</c> algorithm): STFT, phase advance per bin, ISTFT. Smears transients ("phasiness").</summary>
    PhaseVocoder,

    /// <summary>Phase vocoder with identity phase locking around spectral peaks (Laroche &amp; Dolson 1999): less phasiness on tonal music. NWaves' default.</summary>
    PhaseLockingVocoder,

    /// <summary>Waveform-similarity overlap-add (Verhelst &amp; Roelands 1993): time-domain, keeps transients crisp, can double or drop short events; best for percussive material and speech.</summary>
    Wsola,
}
