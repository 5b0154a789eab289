using System.Globalization;

namespace HarmoniousFeedback.Plotting;

/// <summary>An sRGB colour with 8-bit channels.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>"#rrggbb".</summary>
    public string Hex => $"#{R:x2}{G:x2}{B:x2}";

    /// <summary>Parses "#rrggbb".</summary>
    public static Rgb Parse(string hex)
    {
        if (hex is not { Length: 7 } || hex[0] != '#'
            || !int.TryParse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int v))
            throw new FigureException($"colour '{hex}' must be of the form #rrggbb");
        return new Rgb((byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }

    /// <summary>Relative luminance (ITU-R BT.709 weights on gamma-encoded values, a good-enough text-contrast cue), 0..1.</summary>
    public double Luminance => (0.2126 * R + 0.7152 * G + 0.0722 * B) / 255.0;

    public override string ToString() => Hex;
}
