using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// Rushing or dragging a passage (dimension tempo): inside the span [a, b) the music runs at tempo ratio τ, outside at
/// the written tempo; everything after b moves by (b − a)(1/τ − 1).
/// <code>
///   m = MinChange + x·(MaxChange − MinChange)                x = Intensity (default 8 % … 40 %)
///   τ = 1 + m (Faster, rushing)   or   1/(1 + m) (Slower, dragging)
///   u(t) = t (t &lt; a),   a + (t − a)/τ (a ≤ t &lt; b),   t + (b − a)(1/τ − 1) (t ≥ b)
/// </code>
/// Every time (notes, pedal, earlier spans, the clip end) is mapped by u; the recorded span is [a, u(b)). Without a
/// span the whole clip runs at τ (the same as <see cref="GlobalTempoDeviation"/> in <see cref="GlobalTempoMode.Constant"/>).
/// Amounts: <c>tempo_ratio</c> (τ), <c>change</c> (m).
/// </summary>
public sealed record LocalTempoDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.LocalTempo;
    public double Intensity { get; init; } = 0.5;
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    /// <summary>Rushing (<see cref="TempoDirection.Faster"/>, default) or dragging.</summary>
    public TempoDirection Direction { get; init; } = TempoDirection.Faster;

    /// <summary>Relative tempo change at intensity 0 (0 – 3). Default 0.08.</summary>
    public double MinChange { get; init; } = 0.08;

    /// <summary>Relative tempo change at intensity 1 (MinChange – 3). Default 0.40.</summary>
    public double MaxChange { get; init; } = 0.40;

    /// <summary>τ, the tempo ratio inside the span (&gt; 1 faster).</summary>
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
        var v = new OptionsValidator(nameof(LocalTempoDeviation));
        CheckCommon(v, Intensity, Span);
        v.InRange(nameof(MinChange), MinChange, 0, 3);
        v.InRange(nameof(MaxChange), MaxChange, MinChange, 3);
        v.ThrowIfAny();
    }

    public bool IsApplicable(StudentPerformance performance) => true;

    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        var scope = Scope(this, performance);
        var changed = Candidates(performance, scope).Select(i => performance.Notes[i].Id);
        var record = Record(this, scope, changed, ("tempo_ratio", TempoRatio), ("change", Lerp(MinChange, MaxChange, Intensity)));
        return performance.Warp(new LocalWarp(scope, TempoRatio), planted: true, record);
    }
}
