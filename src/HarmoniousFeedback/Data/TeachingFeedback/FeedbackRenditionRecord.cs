namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>A student rendition as stored in <c>feedback.json</c>: its labels, spans, windows and the clips that render it.</summary>
public sealed record FeedbackRenditionRecord
{
    /// <summary>Opaque id ("r00000"), assigned after a seeded shuffle over all renditions (never encodes the deviation).</summary>
    public required string Id { get; init; }

    /// <summary>Id of its <see cref="FeedbackReferenceRecord"/>.</summary>
    public required string Reference { get; init; }

    public required string Group { get; init; }

    /// <summary>The seed its natural variability and deviations were drawn with.</summary>
    public required long Seed { get; init; }

    /// <summary>True when no deviation was planted (natural variability only).</summary>
    public required bool Clean { get; init; }

    /// <summary>The student's MIDI ("midi/r00000.mid").</summary>
    public required string Midi { get; init; }
    public required string MidiSha256 { get; init; }

    /// <summary>Where the excerpt ends in the student's time (s); the audio adds the renderer's release tail.</summary>
    public required double Seconds { get; init; }

    /// <summary>Clip scores (worst window per dimension), dimension name → [0, 1].</summary>
    public required IReadOnlyDictionary<string, double> Scores { get; init; }

    /// <summary>"pitch" … "completeness" or "none".</summary>
    public required string DominantIssue { get; init; }

    /// <summary>Emotional targets by name (<see cref="EmotionTargets.Names"/>).</summary>
    public required IReadOnlyDictionary<string, double> Emotion { get; init; }

    /// <summary>Every planted deviation with its span in the student's audio.</summary>
    public required IReadOnlyList<FeedbackDeviationRecord> Deviations { get; init; }

    /// <summary>Labels of the scoring windows (<see cref="FeedbackLabelRules.WindowSeconds"/> every <see cref="FeedbackLabelRules.WindowHop"/>).</summary>
    public required IReadOnlyList<FeedbackWindowRecord> Windows { get; init; }

    /// <summary>Renderer name → id of the clip (in <c>manifest.json</c>) that renders this rendition with it.</summary>
    public required IReadOnlyDictionary<string, string> Clips { get; init; }
}
