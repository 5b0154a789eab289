using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// The sustain pedal held too long (dimension articulation): the pedal goes down at the start of the scope and stays
/// down through every change the score asks for, blurring harmonies.
/// <code>
///   f = MinFraction + x·(MaxFraction − MinFraction)          x = Intensity (default 30 % … 100 % of the scope)
///   held stretch H = [a, a + f·(b − a)) for the scope [a, b);   CC64 forced down over H on every channel with notes
///   in the scope or pedal events; at the end of H the written pedal state is restored
/// </code>
/// The recorded span is H. Amounts: <c>held_fraction</c> (f), <c>held_seconds</c>.
/// </summary>
public sealed record PedalHeldDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.PedalHeld;
    public double Intensity { get; init; } = 0.5;
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    /// <summary>Held fraction of the scope at intensity 0 (0.01 – 1). Default 0.3.</summary>
    public double MinFraction { get; init; } = 0.3;

    /// <summary>Held fraction at intensity 1 (MinFraction – 1). Default 1.</summary>
    public double MaxFraction { get; init; } = 1.0;

    public double Fraction => Lerp(MinFraction, MaxFraction, Intensity);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(PedalHeldDeviation));
        CheckCommon(v, Intensity, Span);
        v.InRange(nameof(MinFraction), MinFraction, 0.01, 1);
        v.InRange(nameof(MaxFraction), MaxFraction, MinFraction, 1);
        v.ThrowIfAny();
    }

    public bool IsApplicable(StudentPerformance performance) => Candidates(performance, Span ?? performance.WholeClip).Count > 0;

    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        var scope = Scope(this, performance);
        var held = new TimeRange(scope.Start, scope.Start + Fraction * scope.Duration);
        IReadOnlyList<ControlChange> controls = performance.PlayedControls;
        foreach (int ch in PedalSupport.Channels(performance, held))
            controls = PedalSupport.Force(controls, ch, held, down: true);
        var changed = Candidates(performance, held).Select(i => performance.Notes[i].Id);
        var record = Record(this, held, changed, ("held_fraction", Fraction), ("held_seconds", held.Duration));
        return performance.With(playedControls: controls, planted: record);
    }
}
