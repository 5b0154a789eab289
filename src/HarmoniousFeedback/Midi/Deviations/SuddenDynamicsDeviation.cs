using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// A sudden dynamics change (dimension dynamics): the passage is suddenly played louder or softer.
/// <code>
///   Δ  = MinVelocityChange + x·(MaxVelocityChange − MinVelocityChange)   x = Intensity (default 15 … 50 velocity steps)
///   v' = clamp(v ± Δ, 1, 127)   (+ Louder, − Softer) for the scope's written notes
/// </code>
/// Meant for a local span (the whole clip louder is a level change, not a sudden one, but is allowed).
/// Amounts: <c>velocity_change</c> (±Δ).
/// </summary>
public sealed record SuddenDynamicsDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.DynamicsSudden;
    public double Intensity { get; init; } = 0.5;
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    public DynamicsDirection Direction { get; init; } = DynamicsDirection.Louder;

    /// <summary>Velocity change at intensity 0 (0 – 126). Default 15.</summary>
    public double MinVelocityChange { get; init; } = 15;

    /// <summary>Velocity change at intensity 1 (MinVelocityChange – 126). Default 50.</summary>
    public double MaxVelocityChange { get; init; } = 50;

    /// <summary>±Δ, signed by <see cref="Direction"/>.</summary>
    public double VelocityChange => (Direction == DynamicsDirection.Louder ? 1 : -1) * Lerp(MinVelocityChange, MaxVelocityChange, Intensity);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(SuddenDynamicsDeviation));
        CheckCommon(v, Intensity, Span);
        v.InRange(nameof(MinVelocityChange), MinVelocityChange, 0, 126);
        v.InRange(nameof(MaxVelocityChange), MaxVelocityChange, MinVelocityChange, 126);
        v.ThrowIfAny();
    }

    public bool IsApplicable(StudentPerformance performance) => Candidates(performance, Span ?? performance.WholeClip).Count > 0;

    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        var scope = Scope(this, performance);
        var notes = performance.Notes.ToArray();
        var changed = new List<int>();
        foreach (int i in Candidates(performance, scope))
        {
            var n = notes[i].Played;
            int v = ClampVelocity(n.Velocity + VelocityChange);
            if (v == n.Velocity) continue;
            notes[i] = notes[i] with { Played = n with { Velocity = v } };
            changed.Add(notes[i].Id);
        }
        return performance.With(notes: notes, planted: Record(this, scope, changed, ("velocity_change", VelocityChange)));
    }
}
