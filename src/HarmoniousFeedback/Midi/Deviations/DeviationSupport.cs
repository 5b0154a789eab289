using System.Globalization;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>Shared checks and bookkeeping of the deviation specs.</summary>
internal static class DeviationSupport
{
    public static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Adds the problems of the options every spec has.</summary>
    public static void CheckCommon(OptionsValidator v, double intensity, TimeRange? span)
    {
        v.InRange("Intensity", intensity, 0, 1);
        if (span is { } s)
            v.Check(double.IsFinite(s.Start) && double.IsFinite(s.End) && s.Start >= 0 && s.End > s.Start,
                    $"Span = [{F(s.Start)}, {F(s.End)}) must be finite with 0 ≤ Start < End");
    }

    /// <summary>Validates <paramref name="spec"/>, checks the span lies inside the clip and returns the scope (span or whole clip).</summary>
    public static TimeRange Scope(IPerformanceDeviation spec, StudentPerformance p)
    {
        ArgumentNullException.ThrowIfNull(p);
        spec.Validate();
        if (spec.Span is not { } s) return p.WholeClip;
        if (s.End > p.End + 1e-9)
            throw new OptionsValidationException(spec.GetType().Name, [$"Span = [{F(s.Start)}, {F(s.End)}) ends after the clip (end {F(p.End)} s)"]);
        return s;
    }

    /// <summary>Indices into <see cref="StudentPerformance.Notes"/> of written, played notes anchored in <paramref name="scope"/>.</summary>
    public static List<int> Candidates(StudentPerformance p, TimeRange scope)
    {
        var list = new List<int>();
        for (int i = 0; i < p.Notes.Count; i++)
        {
            var n = p.Notes[i];
            if (!n.IsExtra && !n.Missed && scope.Contains(n.Anchor)) list.Add(i);
        }
        return list;
    }

    public static double Lerp(double min, double max, double x) => min + (max - min) * x;

    /// <summary>k = max(1, round(f·n)) for n &gt; 0, else 0: the exact number of notes a fraction selects.</summary>
    public static int Count(double fraction, int n) => n == 0 ? 0 : Math.Max(1, (int)Math.Round(fraction * n, MidpointRounding.AwayFromZero));

    public static PlantedDeviation Record(IPerformanceDeviation spec, TimeRange span, IEnumerable<int> changedIds, params (string Name, double Value)[] amounts)
        => new()
        {
            Kind = spec.Kind,
            Intensity = spec.Intensity,
            Span = span,
            Localised = spec.Span is not null,
            Amounts = amounts.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal),
            ChangedNotes = changedIds.Distinct().Order().ToArray(),
        };

    public static int ClampVelocity(double v) => Math.Clamp((int)Math.Round(v, MidpointRounding.AwayFromZero), 1, 127);

    /// <summary>True when a played note of pitch <paramref name="pitch"/> on <paramref name="channel"/> other than <paramref name="except"/> overlaps [on, off).</summary>
    public static bool Collides(IReadOnlyList<PerformedNote> notes, int except, int channel, int pitch, double on, double off)
    {
        for (int j = 0; j < notes.Count; j++)
        {
            if (j == except || notes[j].Missed) continue;
            var q = notes[j].Played;
            if (q.Pitch == pitch && q.Channel == channel && q.Onset < off && on < q.Offset) return true;
        }
        return false;
    }

    /// <summary>Periods with the sustain pedal down (value ≥ 64) per channel, from sorted control changes: (channel, start, end).</summary>
    public static List<(int Channel, double Start, double End)> PedalPeriods(IReadOnlyList<ControlChange> controls, double end)
    {
        var result = new List<(int, double, double)>();
        foreach (var g in controls.Where(c => c.Controller == 64).GroupBy(c => c.Channel))
        {
            double? down = null;
            foreach (var c in g.OrderBy(c => c.Seconds))
            {
                if (c.Value >= 64 && down is null) down = c.Seconds;
                else if (c.Value < 64 && down is { } d) { result.Add((g.Key, d, c.Seconds)); down = null; }
            }
            if (down is { } open) result.Add((g.Key, open, Math.Max(open, end)));
        }
        return result;
    }

    /// <summary>Pedal state (down?) of <paramref name="channel"/> after every CC64 at times ≤ <paramref name="t"/>.</summary>
    public static bool PedalDownAt(IReadOnlyList<ControlChange> controls, int channel, double t)
    {
        bool down = false;
        foreach (var c in controls.Where(c => c.Controller == 64 && c.Channel == channel).OrderBy(c => c.Seconds))
        {
            if (c.Seconds > t) break;
            down = c.Value >= 64;
        }
        return down;
    }
}
