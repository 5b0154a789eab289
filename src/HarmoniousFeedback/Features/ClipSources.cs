namespace HarmoniousFeedback.Features;

/// <summary>
/// The sources of one clip as <see cref="MultiViewExtractor"/> reads them: an id (for messages), the MIDI file, the audio
/// (WAV) file — for a MIDI clip, its rendering, which fixes the segment grid — and the free text. Any may be null.
/// </summary>
public sealed record ClipSources(string Id, string? MidiPath, string? AudioPath, string? Text);
