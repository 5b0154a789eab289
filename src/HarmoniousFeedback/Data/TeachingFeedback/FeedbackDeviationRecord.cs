namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>A planted deviation as stored in <c>feedback.json</c> (see <see cref="Midi.Deviations.PlantedDeviation"/>).</summary>
public sealed record FeedbackDeviationRecord
{
    /// <summary>snake_case kind (<see cref="Midi.Deviations.DeviationKinds.Name"/>), e.g. "wrong_notes".</summary>
    public required string Kind { get; init; }

    /// <summary>The dimension it lowers ("pitch" … "completeness").</summary>
    public required string Dimension { get; init; }

    public required double Intensity { get; init; }

    /// <summary>Start of its span in the student's audio (s).</summary>
    public required double Start { get; init; }

    /// <summary>End of its span in the student's audio (s).</summary>
    public required double End { get; init; }

    /// <summary>True for a local span, false for the whole clip.</summary>
    public required bool Localised { get; init; }

    /// <summary>1 − the score of its dimension over its span: how bad it is where it is.</summary>
    public required double Severity { get; init; }

    /// <summary>The physical amounts its intensity mapped to (names documented on each deviation spec).</summary>
    public required IReadOnlyDictionary<string, double> Amounts { get; init; }

    /// <summary>How many notes it changed, inserted or removed.</summary>
    public required int ChangedNotes { get; init; }
}
