namespace HarmoniousFeedback.Midi;

/// <summary>
/// One sounding note. Times are in seconds from the start of the file (the tempo map applied).
/// <see cref="Offset"/> is the key release; <see cref="PedalOffset"/> is when the sound actually stops under the
/// sustain pedal (CC64 ≥ 64 holds a released note until the pedal is lifted), equal to <see cref="Offset"/> when no
/// pedal holds it.
/// </summary>
public readonly record struct MidiNote(double Onset, double Offset, int Pitch, int Velocity, int Channel, double PedalOffset)
{
    public double Duration => Offset - Onset;
    public double SoundingDuration => PedalOffset - Onset;
}
