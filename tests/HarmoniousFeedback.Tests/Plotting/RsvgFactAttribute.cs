using Xunit;

namespace HarmoniousFeedback.Tests.Plotting;

/// <summary>A fact that needs librsvg's rsvg-convert (Debian librsvg2-bin); skipped visibly when it is not on PATH.</summary>
public sealed class RsvgFactAttribute : FactAttribute
{
    public static bool Available { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator).Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "rsvg-convert")));

    public RsvgFactAttribute()
    {
        if (!Available) Skip = "needs rsvg-convert (apt-get install librsvg2-bin) to render SVG figures to PNG";
    }
}
