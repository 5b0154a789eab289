using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// Legato where the score asks otherwise (dimension articulation): keys held on into the following notes.
/// <code>
///   k  = MinFactor + x·(MaxFactor − MinFactor)              x = Intensity (default ×1.5 … ×3)
///   offset' = onset + min(k·D, D + MaxExtraSeconds),   D = offset − onset,
///             cut at the clip's end and at the next onset of the same key (a key cannot sound twice)
/// </code>
/// Under a held sustain pedal a longer key-down changes nothing audible; the labels measure sounding durations, so
/// such a rendition scores as clean in articulation. Amounts: <c>factor</c> (k).
/// </summary>
public sealed record LegatoDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.Legato;
    public double Intensity { get; init; } = 0.5;
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    /// <summary>Duration factor at intensity 0 (1 – 10). Default 1.5.</summary>
    public double MinFactor { get; init; } = 1.5;

    /// <summary>Duration factor at intensity 1 (MinFactor – 10). Default 3.</summary>
    public double MaxFactor { get; init; } = 3.0;

    /// <summary>Most seconds a note is lengthened by (0.01 – 10). Default 1.5.</summary>
    public double MaxExtraSeconds { get; init; } = 1.5;

    public double Factor => Lerp(MinFactor, MaxFactor, Intensity);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(LegatoDeviation));
        CheckCommon(v, Intensity, Span);
        v.InRange(nameof(MinFactor), MinFactor, 1, 10);
        v.InRange(nameof(MaxFactor), MaxFactor, MinFactor, 10);
        v.InRange(nameof(MaxExtraSeconds), MaxExtraSeconds, 0.01, 10);
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
            double d = n.Offset - n.Onset;
            double off = Math.Min(n.Onset + Math.Min(Factor * d, d + MaxExtraSeconds), performance.End);
            foreach (var q in notes)
                if (!q.Missed && q.Played.Pitch == n.Pitch && q.Played.Channel == n.Channel && q.Played.Onset > n.Onset)
                    off = Math.Min(off, q.Played.Onset);
            if (off <= n.Offset) continue;
            notes[i] = notes[i] with { Played = n with { Offset = off, PedalOffset = off } };
            changed.Add(notes[i].Id);
        }
        return performance.With(notes: notes, planted: Record(this, scope, changed, ("factor", Factor)));
    }
}
