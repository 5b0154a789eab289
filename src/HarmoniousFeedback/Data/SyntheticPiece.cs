using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Data;

/// <summary>One generated piece: its score, label, latent valence/arousal, song and split.</summary>
public sealed record SyntheticPiece(
    string Id, string Song, string Label, double Valence, double Arousal, Split Split, SyntheticCues Cues, MidiScore Score);
