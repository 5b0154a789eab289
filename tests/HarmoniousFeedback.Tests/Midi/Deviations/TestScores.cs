using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Tests.Midi.Deviations;

/// <summary>Scores with known structure for the deviation and labelling tests.</summary>
internal static class TestScores
{
    /// <summary>C-major white keys 60 … 72 cycled.</summary>
    private static readonly int[] Keys = [60, 62, 64, 65, 67, 69, 71, 72];

    /// <summary>
    /// A monophonic melody: <paramref name="count"/> notes every <paramref name="step"/> s, each <paramref name="duration"/>
    /// s long, pitches cycling through the C-major keys 60 … 72, velocities 40 + 5·((7i) mod 11) ∈ [40, 90] (or
    /// <paramref name="velocity"/> for all). With <paramref name="pedal"/>, the sustain pedal goes down 50 ms after every
    /// 2 s barline and up 10 ms before the next. Written and read back, so it is exactly what its file says.
    /// </summary>
    public static MidiScore Melody(int count = 400, double step = 0.25, double duration = 0.2, bool pedal = false, int? velocity = null)
    {
        var notes = new List<MidiNote>();
        for (int i = 0; i < count; i++)
        {
            double on = i * step;
            notes.Add(new MidiNote(on, on + duration, Keys[i % Keys.Length], velocity ?? 40 + 5 * (7 * i % 11), 0, on + duration));
        }
        var controls = new List<ControlChange>();
        if (pedal)
            for (double bar = 0; bar < count * step; bar += 2)
            {
                controls.Add(new ControlChange(bar + 0.05, 0, 64, 127));
                controls.Add(new ControlChange(bar + 1.99, 0, 64, 0));
            }
        return Build(notes, controls);
    }

    public static MidiScore Build(IReadOnlyList<MidiNote> notes, IReadOnlyList<ControlChange> controls)
    {
        var draft = new MidiScore
        {
            Notes = notes,
            Tempos = [new TempoChange(0, 0, 500_000)],
            TimeSignatures = [new TimeSignature(0, 0, 4, 4)],
            Controls = controls,
            Source = "test",
        };
        return MidiReader.Read(MidiWriter.ToBytes(draft), "test");
    }

    public static double Std(IEnumerable<double> xs)
    {
        var a = xs.ToArray();
        double m = a.Average();
        return Math.Sqrt(a.Sum(x => (x - m) * (x - m)) / a.Length);
    }
}
