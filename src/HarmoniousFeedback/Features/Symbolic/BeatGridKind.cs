namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>What a <see cref="BeatGrid"/> was built from.</summary>
public enum BeatGridKind
{
    /// <summary>No grid: too few onsets (fewer than <see cref="MetricGridOptions.MinOnsets"/> clusters) or no periodicity; grid-based columns are 0.</summary>
    None,
    /// <summary>The MIDI file's tempo map (quarter-note beats).</summary>
    TempoMap,
    /// <summary>Estimated from the onsets: one tempo and phase for the clip.</summary>
    Estimated,
}
