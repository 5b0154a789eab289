namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// The sustain-pedal rule of <see cref="MidiReader"/>, on notes in seconds: controller 64 per channel, value ≥ 64 is
/// down; a note released (<see cref="MidiNote.Offset"/>) while its channel's pedal is down — the state after every CC64
/// at times ≤ the release — keeps sounding until the first pedal-up after the release, or until the same pitch is struck
/// again on that channel at or after the release, whichever is first; a pedal never lifted holds to
/// <c>fileEnd</c>. Used to compare how long notes sound (articulation) without a write–read round trip; a test checks
/// that it agrees with the reader on written files.
/// </summary>
public static class SustainPedal
{
    /// <summary>
    /// Copies of <paramref name="notes"/> (same order) whose <see cref="MidiNote.PedalOffset"/> follows the rule above.
    /// <paramref name="fileEnd"/> (s) is where a pedal never lifted releases; null = the latest note offset or control time.
    /// </summary>
    public static MidiNote[] Extend(IReadOnlyList<MidiNote> notes, IReadOnlyList<ControlChange> controls, double? fileEnd = null)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentNullException.ThrowIfNull(controls);
        double end = fileEnd ?? Math.Max(notes.Count == 0 ? 0 : notes.Max(n => n.Offset), controls.Count == 0 ? 0 : controls.Max(c => c.Seconds));
        var pedal = new List<(double T, bool Down)>[16];
        foreach (var c in controls.Where(c => c.Controller == 64).OrderBy(c => c.Seconds))
            (pedal[c.Channel & 15] ??= []).Add((c.Seconds, c.Value >= 64));
        var onsets = notes.GroupBy(n => (n.Channel, n.Pitch)).ToDictionary(g => g.Key, g => g.Select(n => n.Onset).Order().ToArray());
        var result = new MidiNote[notes.Count];
        for (int i = 0; i < notes.Count; i++)
        {
            var n = notes[i];
            double sound = n.Offset;
            if (pedal[n.Channel & 15] is { } p)
            {
                int last = -1;
                for (int k = 0; k < p.Count && p[k].T <= n.Offset; k++) last = k;
                if (last >= 0 && p[last].Down)
                {
                    sound = end;
                    for (int k = last + 1; k < p.Count; k++)
                        if (!p[k].Down) { sound = p[k].T; break; }
                    foreach (var on in onsets[(n.Channel, n.Pitch)])
                        if (on >= n.Offset && on < sound) { sound = on; break; }
                    sound = Math.Max(sound, n.Offset);
                }
            }
            result[i] = n with { PedalOffset = sound };
        }
        return result;
    }
}
