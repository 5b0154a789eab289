namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// A typed, seeded deviation spec: a sealed record whose properties are its options (an <see cref="Intensity"/> in
/// [0, 1], an optional local <see cref="Span"/>, and the documented bounds its intensity maps between) and whose
/// <see cref="Apply"/> plants it in a <see cref="StudentPerformance"/>, appending a <see cref="PlantedDeviation"/>.
/// The same spec, performance and seed always give the same result.
/// </summary>
public interface IPerformanceDeviation
{
    DeviationKind Kind { get; }

    /// <summary>Strength in [0, 1]; each spec maps it linearly between its documented minimum and maximum amount.</summary>
    double Intensity { get; }

    /// <summary>Where to act, in the performance's current time; null = the whole clip.</summary>
    TimeRange? Span { get; }

    /// <summary>The same spec acting on <paramref name="span"/> (null = the whole clip).</summary>
    IPerformanceDeviation WithSpan(TimeRange? span);

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every invalid option.</summary>
    void Validate();

    /// <summary>True when the deviation can change something in <paramref name="performance"/> (e.g. a pedal to leave out).</summary>
    bool IsApplicable(StudentPerformance performance);

    /// <summary>Plants the deviation; throws <see cref="OptionsValidationException"/> for invalid options or a span outside the clip.</summary>
    StudentPerformance Apply(StudentPerformance performance, long seed);
}
