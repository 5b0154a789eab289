namespace HarmoniousFeedback.Plotting;

/// <summary>Pixel layout of a PNG image (8 bits per channel).</summary>
public enum PngColorType
{
    /// <summary>3 bytes per pixel: R, G, B (PNG colour type 2).</summary>
    Rgb = 2,
    /// <summary>4 bytes per pixel: R, G, B, A, non-premultiplied (PNG colour type 6).</summary>
    Rgba = 6,
}
