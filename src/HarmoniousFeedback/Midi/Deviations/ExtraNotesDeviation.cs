using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// Extra notes (dimension pitch): slips onto a neighbouring key just after a written note.
/// <code>
///   r = MinRate + x·(MaxRate − MinRate)                      x = Intensity (default 5 % … 30 % of the scope's notes)
///   k = max(1, round(r·n))   extra notes; each copies a written note c drawn uniformly (with replacement) from the scope:
///   pitch     = c.pitch + d,  d uniform over {±1, ±2} (21 … 108, no collision with a sounding note of that pitch)
///   onset     = c.onset + U(0.02, 0.08) s          (kept before the scope's end and 50 ms before the clip's end)
///   duration  = U(0.08, 0.25) s,   velocity = round(c.velocity · U(0.5, 0.9)) ≥ 1
/// </code>
/// Extra notes get new ids after the written ones (<see cref="PerformedNote.Source"/> = −1). Amounts: <c>rate</c> (r),
/// <c>candidates</c> (n), <c>inserted</c>.
/// </summary>
public sealed record ExtraNotesDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.ExtraNotes;
    public double Intensity { get; init; } = 0.5;
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    /// <summary>Extra notes per written note of the scope at intensity 0 (0 – 1). Default 0.05.</summary>
    public double MinRate { get; init; } = 0.05;

    /// <summary>Extra notes per written note at intensity 1 (MinRate – 1). Default 0.30.</summary>
    public double MaxRate { get; init; } = 0.30;

    public double Rate => Lerp(MinRate, MaxRate, Intensity);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(ExtraNotesDeviation));
        CheckCommon(v, Intensity, Span);
        v.InRange(nameof(MinRate), MinRate, 0, 1);
        v.InRange(nameof(MaxRate), MaxRate, MinRate, 1);
        v.ThrowIfAny();
    }

    public bool IsApplicable(StudentPerformance performance) => Candidates(performance, Span ?? performance.WholeClip).Count > 0;

    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        var scope = Scope(this, performance);
        var r = PerformanceRandom.For(seed, "extra_notes");
        var candidates = Candidates(performance, scope);
        int k = Count(Rate, candidates.Count);
        var notes = performance.Notes.ToList();
        int nextId = performance.NextNoteId;
        var inserted = new List<int>();
        double latest = Math.Min(scope.End, performance.End - 0.05);
        for (int j = 0; j < k; j++)
        {
            var c = notes[candidates[r.Next(candidates.Count)]].Played;
            double onset = Math.Min(c.Onset + r.Uniform(0.02, 0.08), latest - 1e-3);
            double offset = Math.Min(onset + r.Uniform(0.08, 0.25), performance.End);
            int velocity = Math.Max(1, (int)Math.Round(c.Velocity * r.Uniform(0.5, 0.9)));
            int[] steps = [-2, -1, 1, 2];
            r.Shuffle(steps);
            int? pitch = null;
            foreach (int d in steps)
            {
                int q = c.Pitch + d;
                if (q is < 21 or > 108 || Collides(notes, -1, c.Channel, q, onset, offset)) continue;
                pitch = q;
                break;
            }
            if (pitch is not { } p || !(onset >= scope.Start) || !(offset > onset)) continue;
            var note = new MidiNote(onset, offset, p, velocity, c.Channel, offset);
            notes.Add(new PerformedNote(nextId, -1, note, note, false));
            inserted.Add(nextId++);
        }
        var record = Record(this, scope, inserted, ("rate", Rate), ("candidates", candidates.Count), ("inserted", inserted.Count));
        return performance.With(notes: notes, planted: record);
    }
}
