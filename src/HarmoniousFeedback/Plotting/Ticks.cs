using System.Globalization;

namespace HarmoniousFeedback.Plotting;

/// <summary>
/// "Nice numbers" for axis ticks (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990): the step is 1, 2 or 5
/// × 10^k, chosen so about <c>count</c> ticks cover [min, max], and the range is widened to multiples of the step.
/// </summary>
public static class Ticks
{
    /// <summary>A nice number close to <paramref name="x"/> &gt; 0: rounded (1, 2, 5, 10 × 10^k) or the ceiling of those.</summary>
    public static double NiceNumber(double x, bool round)
    {
        if (!(x > 0) || double.IsInfinity(x)) return 1;
        double exp = Math.Floor(Math.Log10(x));
        double f = x / Math.Pow(10, exp);
        double nf = round
            ? (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10)
            : (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10);
        return nf * Math.Pow(10, exp);
    }

    /// <summary>Nice linear ticks: (widened min, widened max, step, tick values). A zero-width range is widened by ±1 (or ±10 %).</summary>
    public static (double Min, double Max, double Step, double[] Values) Linear(double min, double max, int count = 6)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) throw new FigureException($"axis range [{min}, {max}] is not finite");
        if (max < min) (min, max) = (max, min);
        if (max == min)
        {
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            min -= pad; max += pad;
        }
        count = Math.Max(2, count);
        double range = NiceNumber(max - min, false);
        double step = NiceNumber(range / (count - 1), true);
        double lo = Math.Floor(min / step + 1e-9) * step;
        double hi = Math.Ceiling(max / step - 1e-9) * step;
        var values = new List<double>();
        for (int i = 0; lo + i * step <= hi + step * 1e-6; i++) values.Add(Clean(lo + i * step, step));
        return (lo, hi, step, values.ToArray());
    }

    /// <summary>Ticks inside a fixed range [min, max] (no widening) with a nice step.</summary>
    public static double[] Within(double min, double max, int count = 6)
    {
        if (max < min) (min, max) = (max, min);
        if (max == min) return [min];
        double step = NiceNumber(NiceNumber(max - min, false) / (Math.Max(2, count) - 1), true);
        double first = Math.Ceiling(min / step - 1e-9) * step;
        var values = new List<double>();
        for (int i = 0; first + i * step <= max + step * 1e-6; i++) values.Add(Clean(first + i * step, step));
        return values.ToArray();
    }

    /// <summary>Log10 ticks: the decades 10^k covering [min, max] (&gt; 0), plus 2× and 5× when the range spans fewer than 3 decades.</summary>
    public static (double Min, double Max, double[] Values) Log(double min, double max)
    {
        if (!(min > 0) || !(max > 0)) throw new FigureException($"a log axis needs positive values, got range [{min}, {max}]");
        if (max < min) (min, max) = (max, min);
        int k0 = (int)Math.Floor(Math.Log10(min) + 1e-9), k1 = (int)Math.Ceiling(Math.Log10(max) - 1e-9);
        if (k1 == k0) k1++;
        var values = new List<double>();
        bool dense = k1 - k0 < 3;
        for (int k = k0; k <= k1; k++)
        {
            double d = Math.Pow(10, k);
            values.Add(d);
            if (dense && k < k1) { values.Add(2 * d); values.Add(5 * d); }
        }
        return (Math.Pow(10, k0), Math.Pow(10, k1), values.ToArray());
    }

    /// <summary>Formats a tick value with the decimals its step needs (step 0.25 → 2 decimals), invariant culture.</summary>
    public static string Format(double value, double step, string? format = null)
    {
        var c = CultureInfo.InvariantCulture;
        if (format is not null) return value.ToString(format, c);
        if (value == 0) return "0";
        double a = Math.Abs(value);
        if (a >= 1e6 || a < 1e-4) return value.ToString("0.##E+0", c);
        int decimals = step > 0 ? Math.Clamp((int)Math.Ceiling(-Math.Log10(step) - 1e-9), 0, 8) : 2;
        return value.ToString("F" + decimals.ToString(c), c);
    }

    /// <summary>Label for a log tick: plain for 1e-3..1e5, else scientific.</summary>
    public static string FormatLog(double value)
    {
        var c = CultureInfo.InvariantCulture;
        return value is >= 1e-3 and <= 1e5 ? value.ToString("0.###", c) : value.ToString("0E+0", c);
    }

    private static double Clean(double v, double step) => Math.Abs(v) < step * 1e-9 ? 0 : Math.Round(v, 12);
}
