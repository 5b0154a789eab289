namespace HarmoniousFeedback.Midi;

/// <summary>Kinds of events the parser keeps (everything else is skipped while parsing).</summary>
internal enum MidiEventKind : byte
{
    NoteOn,
    NoteOff,
    Control,
    Tempo,
    TimeSignature,
    EndOfTrack,
}
