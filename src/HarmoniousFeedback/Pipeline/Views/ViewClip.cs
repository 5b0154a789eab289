namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// One clip as a feature view sees it: its id and the sources views read — the prepared audio (WAV at the experiment's
/// sample rate), the MIDI it was rendered from (null for recordings), its text (null when the dataset has none), and —
/// for performances compared with a score (the teaching-feedback corpus) — the reference's audio and MIDI (else null).
/// </summary>
public sealed record ViewClip(string Id, string AudioPath, string? MidiPath = null, string? Text = null, string? ReferenceAudioPath = null, string? ReferenceMidiPath = null);
