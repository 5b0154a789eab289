namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// One clip as a feature view sees it: its id and the sources views read — the prepared audio (WAV at the experiment's
/// sample rate), the MIDI it was rendered from (null for recordings), its text (null when the dataset has none).
/// </summary>
public sealed record ViewClip(string Id, string AudioPath, string? MidiPath = null, string? Text = null);
