namespace HarmoniousFeedback.Features;

/// <summary>The feature views <see cref="MultiViewExtractor"/> produces per clip (the audio LLD view is <see cref="LldExtractor"/>'s).</summary>
public enum ViewKind
{
    /// <summary>Score features from MIDI (<see cref="Symbolic.SymbolicFeatureExtractor.ScoreColumns"/>).</summary>
    Score,
    /// <summary>Performance features from MIDI (<see cref="Symbolic.SymbolicFeatureExtractor.PerformanceColumns"/>).</summary>
    Performance,
    /// <summary>Transcription-free onset/tempo features from audio (<see cref="AudioRhythmExtractor"/>).</summary>
    AudioRhythm,
    /// <summary>Token ids of the clip's text (<see cref="Text.TextTokenizer"/>).</summary>
    Text,
}
