using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// Wrong notes (dimension pitch): a fraction of the written notes in the scope is struck a semitone or two off.
/// <code>
///   f = MinFraction + x·(MaxFraction − MinFraction)          x = Intensity (default 5 % … 35 %)
///   k = max(1, round(f·n))   of the n written, played notes whose onset lies in the scope, drawn without replacement
///   p' = p + d,   d uniform over {±1, …, ±MaxInterval} semitones that satisfy Mode, keep 21 ≤ p' ≤ 108 and do not
///                 collide with a sounding note of pitch p' on the same channel
/// </code>
/// In-key means p' belongs to <see cref="StudentPerformance.Scale"/> (the passage's diatonic set); a note with no
/// admissible neighbour is passed over for the next drawn one. Amounts: <c>fraction</c> (f), <c>candidates</c> (n),
/// <c>changed</c> (k), <c>in_key</c> and <c>out_of_key</c> (how many substitutes are in / out of the scale).
/// </summary>
public sealed record WrongNotesDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.WrongNotes;
    public double Intensity { get; init; } = 0.5;
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    /// <summary>Fraction of the scope's notes changed at intensity 0 (0 – 1). Default 0.05.</summary>
    public double MinFraction { get; init; } = 0.05;

    /// <summary>Fraction changed at intensity 1 (MinFraction – 1). Default 0.35.</summary>
    public double MaxFraction { get; init; } = 0.35;

    /// <summary>Largest substitution interval in semitones (1 – 12). Default 2.</summary>
    public int MaxInterval { get; init; } = 2;

    /// <summary>Which substitutes are allowed. Default <see cref="WrongNoteMode.Any"/>.</summary>
    public WrongNoteMode Mode { get; init; } = WrongNoteMode.Any;

    /// <summary>The fraction the intensity maps to.</summary>
    public double Fraction => Lerp(MinFraction, MaxFraction, Intensity);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(WrongNotesDeviation));
        CheckCommon(v, Intensity, Span);
        v.InRange(nameof(MinFraction), MinFraction, 0, 1);
        v.InRange(nameof(MaxFraction), MaxFraction, MinFraction, 1);
        v.InRange(nameof(MaxInterval), MaxInterval, 1, 12);
        v.ThrowIfAny();
    }

    public bool IsApplicable(StudentPerformance performance) => Candidates(performance, Span ?? performance.WholeClip).Count > 0;

    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        var scope = Scope(this, performance);
        var r = PerformanceRandom.For(seed, "wrong_notes");
        var candidates = Candidates(performance, scope);
        int k = Count(Fraction, candidates.Count);
        r.Shuffle(candidates);
        var notes = performance.Notes.ToArray();
        var changed = new List<int>();
        int inKey = 0;
        var options = new List<int>(2 * MaxInterval);
        foreach (int i in candidates)
        {
            if (changed.Count == k) break;
            var n = notes[i].Played;
            options.Clear();
            for (int d = -MaxInterval; d <= MaxInterval; d++)
            {
                int q = n.Pitch + d;
                if (d == 0 || q is < 21 or > 108) continue;
                bool inScale = performance.Scale.Contains(q);
                if (Mode == WrongNoteMode.InKey && !inScale || Mode == WrongNoteMode.OutOfKey && inScale) continue;
                if (Collides(notes, i, n.Channel, q, n.Onset, n.Offset)) continue;
                options.Add(q);
            }
            if (options.Count == 0) continue;
            int pitch = options[r.Next(options.Count)];
            if (performance.Scale.Contains(pitch)) inKey++;
            notes[i] = notes[i] with { Played = n with { Pitch = pitch } };
            changed.Add(notes[i].Id);
        }
        var record = Record(this, scope, changed, ("fraction", Fraction), ("candidates", candidates.Count), ("changed", changed.Count),
                            ("in_key", inKey), ("out_of_key", changed.Count - inKey));
        return performance.With(notes: notes, planted: record);
    }
}
