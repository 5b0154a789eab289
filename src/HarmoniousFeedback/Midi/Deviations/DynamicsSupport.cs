namespace HarmoniousFeedback.Midi.Deviations;

internal static class DynamicsSupport
{
    /// <summary>v' = clamp(round(m + factor·(v − m))) over the scope's written notes; returns the notes, changed ids and m.</summary>
    public static (PerformedNote[] Notes, List<int> Changed, double Mean) Scale(StudentPerformance p, TimeRange scope, double factor)
    {
        var idx = DeviationSupport.Candidates(p, scope);
        var notes = p.Notes.ToArray();
        var changed = new List<int>();
        if (idx.Count == 0) return (notes, changed, 0);
        double m = idx.Average(i => notes[i].Played.Velocity);
        foreach (int i in idx)
        {
            var n = notes[i].Played;
            int v = DeviationSupport.ClampVelocity(m + factor * (n.Velocity - m));
            if (v == n.Velocity) continue;
            notes[i] = notes[i] with { Played = n with { Velocity = v } };
            changed.Add(notes[i].Id);
        }
        return (notes, changed, m);
    }
}
