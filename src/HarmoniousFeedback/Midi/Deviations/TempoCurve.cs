namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// The planted local time stretch of a <see cref="StudentPerformance"/> as a function of the student's time:
/// ln λ(u), where λ = du/dt is how much longer the student takes than a clean performance (λ &gt; 1 dragging, λ &lt; 1
/// rushing; the tempo ratio is 1/λ). Sampled at the centres of cells of <see cref="Step"/> = 5 ms covering
/// [0, <see cref="End"/>). Only planted tempo deviations enter it; the natural tempo variation of
/// <see cref="NaturalVariability"/> moves the grid but adds nothing. A warp u' = W(u) composes as
/// ln λ'(u') = ln λ(W⁻¹(u')) + ln W'(W⁻¹(u')).
/// </summary>
public sealed class TempoCurve
{
    /// <summary>Grid step in seconds.</summary>
    public const double Step = 0.005;

    private readonly double[] _log;

    private TempoCurve(double end, double[] values)
    {
        End = end;
        _log = values;
    }

    /// <summary>Length of the curve in seconds (the student's end of the excerpt).</summary>
    public double End { get; }

    /// <summary>ln λ at the cell centres (k + ½)·Step, k = 0 … ⌈End/Step⌉ − 1.</summary>
    public IReadOnlyList<double> Values => _log;

    /// <summary>No planted stretch over [0, <paramref name="end"/>).</summary>
    public static TempoCurve Flat(double end) => new(end, new double[Cells(end)]);

    /// <summary>ln λ at <paramref name="t"/> (the cell containing it; clamped to the first/last cell).</summary>
    public double LogStretchAt(double t)
    {
        if (_log.Length == 0) return 0;
        int k = Math.Clamp((int)Math.Floor(t / Step), 0, _log.Length - 1);
        return _log[k];
    }

    /// <summary>Mean of |ln λ| over the cells whose centres lie in <paramref name="range"/> (the cell at its middle when none does).</summary>
    public double MeanAbsLogStretch(TimeRange range) => Mean(range, Math.Abs);

    /// <summary>Mean of ln λ over the cells whose centres lie in <paramref name="range"/>: positive = slower than clean on average.</summary>
    public double MeanLogStretch(TimeRange range) => Mean(range, x => x);

    private double Mean(TimeRange range, Func<double, double> f)
    {
        if (_log.Length == 0) return 0;
        int k0 = Math.Max(0, (int)Math.Ceiling(range.Start / Step - 0.5));
        int k1 = Math.Min(_log.Length - 1, (int)Math.Ceiling(range.End / Step - 0.5) - 1);
        if (k1 < k0) return f(LogStretchAt(0.5 * (range.Start + range.End)));
        double s = 0;
        for (int k = k0; k <= k1; k++) s += f(_log[k]);
        return s / (k1 - k0 + 1);
    }

    internal TempoCurve Warp(ITimeWarp warp, double newEnd, bool planted)
    {
        var values = new double[Cells(newEnd)];
        for (int k = 0; k < values.Length; k++)
        {
            double t = warp.Inverse((k + 0.5) * Step);
            values[k] = LogStretchAt(t) + (planted ? warp.LogSlope(t) : 0);
        }
        return new TempoCurve(newEnd, values);
    }

    private static int Cells(double end) => Math.Max(0, (int)Math.Ceiling(end / Step - 1e-9));
}
