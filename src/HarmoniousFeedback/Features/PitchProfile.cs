namespace HarmoniousFeedback.Features;

/// <summary>The pitch-class profile <see cref="ReferenceAlignment"/> aligns and compares on.</summary>
public enum PitchProfile
{
    /// <summary>librosa <c>chroma_stft</c> (<see cref="Chroma"/>), log-compressed for the path. The default.</summary>
    Chroma,

    /// <summary>CRP chroma (<see cref="CrpChroma"/>): the spectral envelope removed, for recordings whose instrument differs from the reference's.</summary>
    Crp,
}
