using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Tests.Features.Symbolic;

/// <summary>Builds scores the way a MIDI file delivers them: written by <see cref="MidiWriter"/> and read back by <see cref="MidiReader"/> (so pedal offsets, tick rounding and note order are real).</summary>
internal static class TestScores
{
    public static MidiScore Make(IEnumerable<(double Onset, double Duration, int Pitch, int Velocity)> notes,
                                 IEnumerable<(double Down, double Up)>? pedal = null, double bpm = 120)
        => MidiReader.Read(Bytes(notes, pedal, bpm), "test");

    public static byte[] Bytes(IEnumerable<(double Onset, double Duration, int Pitch, int Velocity)> notes,
                               IEnumerable<(double Down, double Up)>? pedal = null, double bpm = 120)
    {
        var controls = new List<ControlChange>();
        foreach (var (down, up) in pedal ?? []) { controls.Add(new(down, 0, 64, 127)); controls.Add(new(up, 0, 64, 0)); }
        var score = new MidiScore
        {
            Notes = [.. notes.Select(n => new MidiNote(n.Onset, n.Onset + n.Duration, n.Pitch, n.Velocity, 0, n.Onset + n.Duration))],
            Tempos = [new TempoChange(0, 0, (int)Math.Round(60_000_000 / bpm))],
            TimeSignatures = [new TimeSignature(0, 0, 4, 4)],
            Controls = controls,
            Source = "test",
        };
        return MidiWriter.ToBytes(score);
    }

    /// <summary>Isochronous notes every <paramref name="ioi"/> s, each lasting <paramref name="duration"/> s.</summary>
    public static IEnumerable<(double, double, int, int)> Isochronous(int count, double ioi, double duration, int pitch = 60, int velocity = 80)
        => Enumerable.Range(0, count).Select(i => (i * ioi, duration, pitch, velocity));
}
