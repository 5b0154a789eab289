namespace HarmoniousFeedback.Plotting;

/// <summary>Colour schemes: a colour-blind-safe categorical palette and the viridis colour map.</summary>
public static class Palette
{
    /// <summary>
    /// Okabe &amp; Ito (2008) colour-universal-design palette, reordered so the first colours are most distinct:
    /// blue, vermillion, bluish green, orange, reddish purple, sky blue, yellow, black.
    /// </summary>
    public static IReadOnlyList<string> OkabeIto { get; } =
        ["#0072b2", "#d55e00", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#f0e442", "#000000"];

    /// <summary>Series colour i, cycling through <see cref="OkabeIto"/>.</summary>
    public static string Categorical(int i) => OkabeIto[((i % OkabeIto.Count) + OkabeIto.Count) % OkabeIto.Count];

    // viridis at t = 0, 1/9, ..., 1 (matplotlib's viridis sampled at 10 points, as R viridisLite::viridis(10) lists them).
    private static readonly Rgb[] ViridisStops = new[]
        {"#440154", "#482878", "#3e4a89", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6dcd59", "#b4de2c", "#fde725"}
        .Select(Rgb.Parse).ToArray();

    /// <summary>
    /// Viridis (van der Walt &amp; Smith, matplotlib 2.0 default): perceptually uniform, colour-blind safe and readable
    /// in greyscale. Linear interpolation in sRGB between 10 samples of the map; within ±3 of matplotlib's 8-bit values.
    /// <paramref name="t"/> is clamped to [0, 1]; NaN gives light grey.
    /// </summary>
    public static Rgb Viridis(double t)
    {
        if (double.IsNaN(t)) return new Rgb(0xdd, 0xdd, 0xdd);
        t = Math.Clamp(t, 0, 1) * (ViridisStops.Length - 1);
        int i = Math.Min((int)Math.Floor(t), ViridisStops.Length - 2);
        double f = t - i;
        Rgb a = ViridisStops[i], b = ViridisStops[i + 1];
        return new Rgb(Lerp(a.R, b.R, f), Lerp(a.G, b.G, f), Lerp(a.B, b.B, f));
    }

    private static byte Lerp(byte a, byte b, double f) => (byte)Math.Round(a + (b - a) * f);
}
