namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>Where the beat grid behind syncopation, timing deviation and local tempo comes from.</summary>
public enum MetricGridSource
{
    /// <summary>
    /// The MIDI tempo map when the onsets fit it (at least <see cref="MetricGridOptions.GridFitThreshold"/> of the onset
    /// clusters lie within <see cref="MetricGridOptions.GridFitToleranceBeats"/> of a sixteenth or eighth-triplet position),
    /// else a grid estimated from the onsets. Quantised MIDI fits its map; performance MIDI transcribed from audio (all of
    /// EMOPIA: one tempo event of 120 bpm and 4/4 at tick 0) does not, and gets the estimated grid. Default.
    /// </summary>
    Auto,
    /// <summary>Always the MIDI tempo map (quarter-note beats; 120 bpm before the first tempo event, as the reader assumes).</summary>
    TempoMap,
    /// <summary>Always estimated from the note onsets (constant tempo over the clip, see <see cref="BeatGrid.Estimate"/>).</summary>
    Estimated,
}
