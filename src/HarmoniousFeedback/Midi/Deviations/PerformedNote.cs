namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// One note of a <see cref="StudentPerformance"/> with its provenance. <see cref="Clean"/> is the note as a student
/// without planted deviations would play it at the current tempo (the reference note after natural variability and
/// every time warp); <see cref="Played"/> is what the student plays. Comparing the two isolates the planted change:
/// pitch (<see cref="MidiNote.Pitch"/>), timing (onset), loudness (velocity) and key release (offset). Times are in
/// the student's seconds; <see cref="MidiNote.PedalOffset"/> is not maintained here (it follows from the controls,
/// see <see cref="SustainPedal"/>).
/// </summary>
/// <param name="Id">Stable identity within the performance: reference notes keep their index in the reference; extra notes get ids after them.</param>
/// <param name="Source">Index of the reference note, or −1 for an extra note that the score does not have.</param>
/// <param name="Clean">The note without planted deviations (for an extra note: the note as inserted).</param>
/// <param name="Played">The note as performed (ignored when <paramref name="Missed"/>).</param>
/// <param name="Missed">True when the student leaves the note out.</param>
public readonly record struct PerformedNote(int Id, int Source, MidiNote Clean, MidiNote Played, bool Missed)
{
    /// <summary>True for a note the score does not have (<see cref="ExtraNotesDeviation"/>).</summary>
    public bool IsExtra => Source < 0;

    /// <summary>The time that places the note in a scope: the clean onset for written notes, the played onset for extra notes.</summary>
    public double Anchor => IsExtra ? Played.Onset : Clean.Onset;

    /// <summary>True when the note is written, played and struck at another pitch than written.</summary>
    public bool PitchChanged => !IsExtra && !Missed && Played.Pitch != Clean.Pitch;
}
