using System.Globalization;

namespace HarmoniousFeedback.Midi.Rendering;

/// <summary>
/// The longest audio a renderer produces from one score: <see cref="MaxSeconds"/> (4 hours), and never more samples than one
/// array holds. A score lasting longer (a very long delta time, a note never released at the end of a very long track, or
/// a genuinely endless file) is a <see cref="MidiFormatException"/> before anything is allocated, instead of an
/// out-of-memory crash.
/// </summary>
public static class RenderLength
{
    /// <summary>Longest rendered clip in seconds (4 h; the longest EMOPIA/VGMIDI piece lasts under 30 min).</summary>
    public const double MaxSeconds = 4 * 3600;

    /// <summary>The longest clip in seconds at <paramref name="sampleRate"/>: <see cref="MaxSeconds"/>, or less where that many samples would not fit in one array.</summary>
    public static double Limit(int sampleRate) => Math.Min(MaxSeconds, Math.Floor((double)Array.MaxLength / sampleRate));

    /// <summary>
    /// Throws <see cref="MidiFormatException"/> naming <paramref name="score"/>'s source when audio of <paramref name="seconds"/>
    /// at <paramref name="sampleRate"/> is longer than <see cref="Limit"/>.
    /// </summary>
    public static void Check(MidiScore score, double seconds, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(score);
        double limit = Limit(sampleRate);
        if (seconds <= limit) return;
        var c = CultureInfo.InvariantCulture;
        throw new MidiFormatException(score.Source,
            $"the score lasts {seconds.ToString("0.#", c)} s (to the end of its last note), too long to render: at most {limit.ToString("0", c)} s " +
            $"({(limit / 3600).ToString("0.##", c)} h) at {sampleRate.ToString(c)} Hz are rendered; check for a very long delta time or a note never released");
    }
}
