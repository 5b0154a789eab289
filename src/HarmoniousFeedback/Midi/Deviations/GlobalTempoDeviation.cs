using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// Global tempo (dimension tempo): the tempo drifts away over the clip, or the whole clip is at a wrong tempo.
/// Always acts on the whole clip (a span is rejected; use <see cref="LocalTempoDeviation"/> for a passage).
/// <code>
///   m  = MinChange + x·(MaxChange − MinChange)               x = Intensity (default 6 % … 30 %)
///   τₑ = 1 + m (Faster)   or   1/(1 + m) (Slower)
///   Drift:    τ(t) = 1 + (τₑ − 1)·t/T over the clip [0, T);   u(t) = T/(τₑ − 1)·ln(1 + (τₑ − 1)·t/T)
///   Constant: τ(t) = τₑ;   u(t) = t/τₑ
/// </code>
/// Amounts: <c>tempo_ratio</c> (τₑ, the final ratio for a drift), <c>change</c> (m), <c>drift</c> (1 for a drift, 0 constant).
/// </summary>
public sealed record GlobalTempoDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.GlobalTempo;
    public double Intensity { get; init; } = 0.5;

    /// <summary>Must stay null: the deviation acts on the whole clip.</summary>
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    public GlobalTempoMode Mode { get; init; } = GlobalTempoMode.Drift;

    /// <summary>Getting faster (<see cref="TempoDirection.Faster"/>) or slower (default).</summary>
    public TempoDirection Direction { get; init; } = TempoDirection.Slower;

    /// <summary>Relative tempo change at intensity 0 (0 – 3). Default 0.06.</summary>
    public double MinChange { get; init; } = 0.06;

    /// <summary>Relative tempo change at intensity 1 (MinChange – 3). Default 0.30.</summary>
    public double MaxChange { get; init; } = 0.30;

    /// <summary>τₑ: the final (drift) or constant tempo ratio.</summary>
    public double TempoRatio
    {
        get
        {
            double m = Lerp(MinChange, MaxChange, Intensity);
            return Direction == TempoDirection.Faster ? 1 + m : 1 / (1 + m);
        }
    }

    public void Validate()
    {
        var v = new OptionsValidator(nameof(GlobalTempoDeviation));
        CheckCommon(v, Intensity, Span);
        v.Check(Span is null, "Span must be null: a global tempo deviation acts on the whole clip (use LocalTempoDeviation for a passage)");
        v.InRange(nameof(MinChange), MinChange, 0, 3);
        v.InRange(nameof(MaxChange), MaxChange, MinChange, 3);
        v.ThrowIfAny();
    }

    public bool IsApplicable(StudentPerformance performance) => true;

    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        var scope = Scope(this, performance);
        ITimeWarp warp = Mode == GlobalTempoMode.Drift ? new RampWarp(performance.End, TempoRatio) : new ConstantWarp(1 / TempoRatio);
        var changed = Candidates(performance, scope).Select(i => performance.Notes[i].Id);
        var record = Record(this, scope, changed, ("tempo_ratio", TempoRatio), ("change", Lerp(MinChange, MaxChange, Intensity)),
                            ("drift", Mode == GlobalTempoMode.Drift ? 1 : 0));
        return performance.Warp(warp, planted: true, record);
    }
}
