namespace HarmoniousFeedback.Data;

/// <summary>What preparing one clip took.</summary>
public enum PrepareAction
{
    /// <summary>Audio already present with the recorded hash, same MIDI and renderer: nothing done.</summary>
    UpToDate,
    /// <summary>Rendered audio found in the render cache and copied (no rendering).</summary>
    FromCache,
    /// <summary>Rendered now (and stored in the cache).</summary>
    Rendered,
    /// <summary>An audio source file copied (WAV) or decoded to WAV (other formats) into the folder.</summary>
    Copied,
    /// <summary>An audio source file at another rate than <see cref="PrepareOptions.SampleRate"/>, decoded and resampled into the folder.</summary>
    Resampled,
}
