using System.Globalization;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>A half-open time interval [<see cref="Start"/>, <see cref="End"/>) in seconds.</summary>
public readonly record struct TimeRange(double Start, double End)
{
    public double Duration => End - Start;

    /// <summary>True when <paramref name="t"/> lies in [Start, End).</summary>
    public bool Contains(double t) => t >= Start && t < End;

    /// <summary>Length of the intersection with <paramref name="other"/> (0 when disjoint).</summary>
    public double Overlap(TimeRange other) => Math.Max(0, Math.Min(End, other.End) - Math.Max(Start, other.Start));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Start:0.###}, {End:0.###}) s");
}
