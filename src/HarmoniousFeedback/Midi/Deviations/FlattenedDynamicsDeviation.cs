using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// Flattened dynamics (dimension dynamics): velocities in the scope are pulled toward their mean, so accents and
/// phrasing disappear.
/// <code>
///   c  = MinCompression + x·(MaxCompression − MinCompression)   x = Intensity (default 0.5 … 1: half … all contrast gone)
///   m  = mean played velocity of the scope's written notes
///   v' = clamp(round(m + (1 − c)·(v − m)), 1, 127)
/// </code>
/// Amounts: <c>compression</c> (c), <c>mean_velocity</c> (m).
/// </summary>
public sealed record FlattenedDynamicsDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.DynamicsFlattened;
    public double Intensity { get; init; } = 0.5;
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    /// <summary>Compression at intensity 0 (0 – 1). Default 0.5.</summary>
    public double MinCompression { get; init; } = 0.5;

    /// <summary>Compression at intensity 1 (MinCompression – 1). Default 1 (every velocity equal to the mean).</summary>
    public double MaxCompression { get; init; } = 1.0;

    public double Compression => Lerp(MinCompression, MaxCompression, Intensity);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(FlattenedDynamicsDeviation));
        CheckCommon(v, Intensity, Span);
        v.InRange(nameof(MinCompression), MinCompression, 0, 1);
        v.InRange(nameof(MaxCompression), MaxCompression, MinCompression, 1);
        v.ThrowIfAny();
    }

    public bool IsApplicable(StudentPerformance performance) => Candidates(performance, Span ?? performance.WholeClip).Count > 1;

    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        var scope = Scope(this, performance);
        var (notes, changed, mean) = DynamicsSupport.Scale(performance, scope, 1 - Compression);
        return performance.With(notes: notes, planted: Record(this, scope, changed, ("compression", Compression), ("mean_velocity", mean)));
    }
}
