using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// Pedal left out (dimension articulation): presses of the sustain pedal the score asks for are not made, so notes stop
/// at their key release.
/// <code>
///   f = MinFraction + x·(MaxFraction − MinFraction)          x = Intensity (default 40 % … 100 %)
///   the pedal-down periods (CC64 ≥ 64 until the next value &lt; 64, per channel) that start inside the scope:
///   k = max(1, round(f·n)) of the n are drawn without replacement and their down events removed
/// </code>
/// Applicable only when a pedal-down period starts in the scope. The recorded span runs from the first removed
/// press to the last removed release. Amounts: <c>fraction</c> (f), <c>presses</c> (n), <c>removed</c> (k).
/// </summary>
public sealed record PedalMissingDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.PedalMissing;
    public double Intensity { get; init; } = 0.5;
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    /// <summary>Fraction of the presses left out at intensity 0 (0 – 1). Default 0.4.</summary>
    public double MinFraction { get; init; } = 0.4;

    /// <summary>Fraction left out at intensity 1 (MinFraction – 1). Default 1.</summary>
    public double MaxFraction { get; init; } = 1.0;

    public double Fraction => Lerp(MinFraction, MaxFraction, Intensity);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(PedalMissingDeviation));
        CheckCommon(v, Intensity, Span);
        v.InRange(nameof(MinFraction), MinFraction, 0, 1);
        v.InRange(nameof(MaxFraction), MaxFraction, MinFraction, 1);
        v.ThrowIfAny();
    }

    public bool IsApplicable(StudentPerformance performance) => Presses(performance, Span ?? performance.WholeClip).Count > 0;

    private static List<(int Channel, double Start, double End)> Presses(StudentPerformance p, TimeRange scope)
        => PedalPeriods(p.PlayedControls, p.End).Where(x => scope.Contains(x.Start)).OrderBy(x => x.Start).ThenBy(x => x.Channel).ToList();

    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        var scope = Scope(this, performance);
        var r = PerformanceRandom.For(seed, "pedal_missing");
        var presses = Presses(performance, scope);
        int k = Count(Fraction, presses.Count);
        r.Shuffle(presses);
        var removed = presses.Take(k).ToArray();
        var controls = performance.PlayedControls
            .Where(c => !(c.Controller == 64 && c.Value >= 64 && removed.Any(x => x.Channel == c.Channel && c.Seconds >= x.Start && c.Seconds < x.End)))
            .ToArray();
        var span = k == 0 ? scope : new TimeRange(removed.Min(x => x.Start), Math.Min(performance.End, removed.Max(x => x.End)));
        if (span.End <= span.Start) span = span with { End = Math.Min(performance.End, span.Start + TempoCurve.Step) };
        var changed = Candidates(performance, span).Select(i => performance.Notes[i].Id);
        var record = Record(this, span, changed, ("fraction", Fraction), ("presses", presses.Count), ("removed", k));
        return performance.With(playedControls: controls, planted: record);
    }
}
