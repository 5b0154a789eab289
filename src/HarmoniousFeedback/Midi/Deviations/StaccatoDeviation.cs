using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// Staccato where the score asks otherwise (dimension articulation): notes released early and, by default, the pedal
/// lifted, since a detached touch and a held pedal do not go together.
/// <code>
///   s  = MinShortening + x·(MaxShortening − MinShortening)   x = Intensity (default 30 % … 85 % shorter)
///   offset' = onset + max(MinDurationSeconds, (1 − s)·(offset − onset))   (never longer than written)
///   LiftPedal: the sustain pedal is up throughout the scope (the written state is restored at its end)
/// </code>
/// Amounts: <c>shortening</c> (s), <c>pedal_lifted</c> (1/0).
/// </summary>
public sealed record StaccatoDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.Staccato;
    public double Intensity { get; init; } = 0.5;
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    /// <summary>Relative shortening at intensity 0 (0 – 1). Default 0.3.</summary>
    public double MinShortening { get; init; } = 0.3;

    /// <summary>Relative shortening at intensity 1 (MinShortening – 1). Default 0.85.</summary>
    public double MaxShortening { get; init; } = 0.85;

    /// <summary>Shortest key-down time in seconds (0.005 – 1). Default 0.04.</summary>
    public double MinDurationSeconds { get; init; } = 0.04;

    /// <summary>Lift the sustain pedal over the scope. Default true.</summary>
    public bool LiftPedal { get; init; } = true;

    public double Shortening => Lerp(MinShortening, MaxShortening, Intensity);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(StaccatoDeviation));
        CheckCommon(v, Intensity, Span);
        v.InRange(nameof(MinShortening), MinShortening, 0, 1);
        v.InRange(nameof(MaxShortening), MaxShortening, MinShortening, 1);
        v.InRange(nameof(MinDurationSeconds), MinDurationSeconds, 0.005, 1);
        v.ThrowIfAny();
    }

    public bool IsApplicable(StudentPerformance performance) => Candidates(performance, Span ?? performance.WholeClip).Count > 0;

    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        var scope = Scope(this, performance);
        var notes = performance.Notes.ToArray();
        var changed = new List<int>();
        double keep = 1 - Shortening;
        foreach (int i in Candidates(performance, scope))
        {
            var n = notes[i].Played;
            double off = n.Onset + Math.Min(n.Offset - n.Onset, Math.Max(MinDurationSeconds, keep * (n.Offset - n.Onset)));
            if (off >= n.Offset) continue;
            notes[i] = notes[i] with { Played = n with { Offset = off, PedalOffset = off } };
            changed.Add(notes[i].Id);
        }
        IReadOnlyList<ControlChange> controls = performance.PlayedControls;
        bool lifted = false;
        if (LiftPedal)
            foreach (int ch in PedalSupport.Channels(performance, scope))
            {
                if (!PedalDownAt(controls, ch, scope.Start) && !controls.Any(c => c.Controller == 64 && c.Channel == ch && scope.Contains(c.Seconds) && c.Value >= 64))
                    continue;
                controls = PedalSupport.Force(controls, ch, scope, down: false);
                lifted = true;
            }
        var record = Record(this, scope, changed, ("shortening", Shortening), ("pedal_lifted", lifted ? 1 : 0));
        return performance.With(notes: notes, playedControls: controls, planted: record);
    }
}
