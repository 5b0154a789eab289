using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// Exaggerated dynamics (dimension dynamics): velocities in the scope are pushed away from their mean.
/// <code>
///   g  = MinExpansion + x·(MaxExpansion − MinExpansion)      x = Intensity (default 0.3 … 1.5: contrast ×1.3 … ×2.5)
///   m  = mean played velocity of the scope's written notes
///   v' = clamp(round(m + (1 + g)·(v − m)), 1, 127)
/// </code>
/// Amounts: <c>expansion</c> (g), <c>mean_velocity</c> (m).
/// </summary>
public sealed record ExaggeratedDynamicsDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.DynamicsExaggerated;
    public double Intensity { get; init; } = 0.5;
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    /// <summary>Expansion at intensity 0 (0 – 10). Default 0.3.</summary>
    public double MinExpansion { get; init; } = 0.3;

    /// <summary>Expansion at intensity 1 (MinExpansion – 10). Default 1.5.</summary>
    public double MaxExpansion { get; init; } = 1.5;

    public double Expansion => Lerp(MinExpansion, MaxExpansion, Intensity);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(ExaggeratedDynamicsDeviation));
        CheckCommon(v, Intensity, Span);
        v.InRange(nameof(MinExpansion), MinExpansion, 0, 10);
        v.InRange(nameof(MaxExpansion), MaxExpansion, MinExpansion, 10);
        v.ThrowIfAny();
    }

    public bool IsApplicable(StudentPerformance performance) => Candidates(performance, Span ?? performance.WholeClip).Count > 1;

    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        var scope = Scope(this, performance);
        var (notes, changed, mean) = DynamicsSupport.Scale(performance, scope, 1 + Expansion);
        return performance.With(notes: notes, planted: Record(this, scope, changed, ("expansion", Expansion), ("mean_velocity", mean)));
    }
}
