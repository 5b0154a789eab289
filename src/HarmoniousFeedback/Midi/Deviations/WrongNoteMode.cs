namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>Which substitute pitches <see cref="WrongNotesDeviation"/> may use.</summary>
public enum WrongNoteMode
{
    /// <summary>Any ±1..±MaxInterval semitone neighbour.</summary>
    Any,
    /// <summary>Only neighbours inside the passage's diatonic scale (<see cref="StudentPerformance.Scale"/>).</summary>
    InKey,
    /// <summary>Only neighbours outside the scale.</summary>
    OutOfKey,
}
