namespace HarmoniousFeedback.Midi;

/// <summary>The parsed file: header fields and the kept events of each track in file order.</summary>
internal sealed record MidiParsedFile(int Format, int Division, List<List<MidiRawEvent>> Tracks);
