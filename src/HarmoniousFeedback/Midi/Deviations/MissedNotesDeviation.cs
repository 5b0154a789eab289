using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// Missed notes (dimension completeness): written notes the student leaves out.
/// <code>
///   f = MinFraction + x·(MaxFraction − MinFraction)          x = Intensity (default 5 % … 35 %)
///   k = max(1, round(f·n))   of the n written, played notes whose onset lies in the scope, drawn without replacement
/// </code>
/// Amounts: <c>fraction</c> (f), <c>candidates</c> (n), <c>missed</c> (k).
/// </summary>
public sealed record MissedNotesDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.MissedNotes;
    public double Intensity { get; init; } = 0.5;
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    /// <summary>Fraction of the scope's notes left out at intensity 0 (0 – 1). Default 0.05.</summary>
    public double MinFraction { get; init; } = 0.05;

    /// <summary>Fraction left out at intensity 1 (MinFraction – 1). Default 0.35.</summary>
    public double MaxFraction { get; init; } = 0.35;

    public double Fraction => Lerp(MinFraction, MaxFraction, Intensity);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(MissedNotesDeviation));
        CheckCommon(v, Intensity, Span);
        v.InRange(nameof(MinFraction), MinFraction, 0, 1);
        v.InRange(nameof(MaxFraction), MaxFraction, MinFraction, 1);
        v.ThrowIfAny();
    }

    public bool IsApplicable(StudentPerformance performance) => Candidates(performance, Span ?? performance.WholeClip).Count > 0;

    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        var scope = Scope(this, performance);
        var r = PerformanceRandom.For(seed, "missed_notes");
        var candidates = Candidates(performance, scope);
        int k = Count(Fraction, candidates.Count);
        r.Shuffle(candidates);
        var notes = performance.Notes.ToArray();
        foreach (int i in candidates.Take(k)) notes[i] = notes[i] with { Missed = true };
        var record = Record(this, scope, candidates.Take(k).Select(i => notes[i].Id), ("fraction", Fraction), ("candidates", candidates.Count), ("missed", k));
        return performance.With(notes: notes, planted: record);
    }
}
