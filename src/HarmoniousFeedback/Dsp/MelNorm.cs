namespace HarmoniousFeedback.Dsp;

/// <summary>Mel filter normalisation.</summary>
public enum MelNorm
{
    /// <summary>Triangles peak at 1 (torchaudio default).</summary>
    None,
    /// <summary>Equal area: filter b scaled by <c>2/(p_{b+2} − p_b)</c> (librosa default).</summary>
    Slaney,
}
