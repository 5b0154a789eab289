namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>Edits of the sustain pedal (CC64) shared by the articulation deviations.</summary>
internal static class PedalSupport
{
    /// <summary>
    /// Forces <paramref name="channel"/>'s pedal to <paramref name="down"/> over [a, b): CC64 events of the channel in
    /// [a, b) are removed, the forced value is sent at a, and at b the state the original controls have just before b
    /// (after their events &lt; b) is restored when it differs from the forced one.
    /// </summary>
    public static List<ControlChange> Force(IReadOnlyList<ControlChange> controls, int channel, TimeRange window, bool down)
    {
        bool before = StateBefore(controls, channel, window.End);
        var result = controls.Where(c => !(c.Controller == 64 && c.Channel == channel && window.Contains(c.Seconds))).ToList();
        result.Add(new ControlChange(window.Start, channel, 64, down ? 127 : 0));
        if (before != down) result.Add(new ControlChange(window.End, channel, 64, before ? 127 : 0));
        return [.. result.OrderBy(c => c.Seconds)];
    }

    /// <summary>State (down?) after every CC64 of <paramref name="channel"/> strictly before <paramref name="t"/>.</summary>
    public static bool StateBefore(IReadOnlyList<ControlChange> controls, int channel, double t)
    {
        bool down = false;
        foreach (var c in controls.Where(c => c.Controller == 64 && c.Channel == channel).OrderBy(c => c.Seconds))
        {
            if (c.Seconds >= t) break;
            down = c.Value >= 64;
        }
        return down;
    }

    /// <summary>Channels that have notes in the scope or any CC64 event.</summary>
    public static int[] Channels(StudentPerformance p, TimeRange scope)
        => p.Notes.Where(n => scope.Contains(n.Anchor)).Select(n => n.Played.Channel)
            .Concat(p.PlayedControls.Where(c => c.Controller == 64).Select(c => c.Channel)).Distinct().Order().ToArray();
}
