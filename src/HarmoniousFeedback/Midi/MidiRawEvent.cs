namespace HarmoniousFeedback.Midi;

/// <summary>One parsed event at an absolute tick. <c>Value</c> holds µs/quarter for tempo, numerator for time signatures.</summary>
internal readonly record struct MidiRawEvent(long Tick, MidiEventKind Kind, byte Channel, byte Data1, byte Data2, int Value);
