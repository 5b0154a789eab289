namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// The record of one deviation planted in a <see cref="StudentPerformance"/>: what, how strong, where (in the
/// student's seconds; later time warps move it), the physical amounts it used (names documented on each spec record,
/// e.g. <c>fraction</c>, <c>sigma_seconds</c>, <c>tempo_ratio</c>) and which notes it changed.
/// </summary>
public sealed record PlantedDeviation
{
    public required DeviationKind Kind { get; init; }

    public FeedbackDimension Dimension => DeviationKinds.Dimension(Kind);

    /// <summary>The intensity in [0, 1] the spec asked for.</summary>
    public required double Intensity { get; init; }

    /// <summary>Where the deviation acts, in the student's seconds: the whole clip [0, end) or the local span.</summary>
    public required TimeRange Span { get; init; }

    /// <summary>True when the spec named a span (a local deviation); false for the whole clip.</summary>
    public required bool Localised { get; init; }

    /// <summary>The physical amounts the intensity was mapped to (see each spec's documentation for the names).</summary>
    public required IReadOnlyDictionary<string, double> Amounts { get; init; }

    /// <summary>Ids (<see cref="PerformedNote.Id"/>) of the notes this deviation changed, inserted or removed, ascending.</summary>
    public required IReadOnlyList<int> ChangedNotes { get; init; }
}
