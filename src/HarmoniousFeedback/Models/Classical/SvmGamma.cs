using System.Globalization;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>γ of the RBF, polynomial and sigmoid kernels; parse "scale", "auto" or a positive number.</summary>
public readonly record struct SvmGamma(SvmGammaMode Mode, double Value = 0)
{
    public static SvmGamma Scale => new(SvmGammaMode.Scale);
    public static SvmGamma Auto => new(SvmGammaMode.Auto);
    public static SvmGamma Of(double value) => new(SvmGammaMode.Value, value);
    public static implicit operator SvmGamma(double value) => Of(value);

    /// <summary>Parses <c>scale</c>, <c>auto</c> or a number (invariant culture); null when none of these.</summary>
    public static SvmGamma? TryParse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "scale" => Scale,
        "auto" => Auto,
        var t when double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => Of(v),
        _ => null,
    };

    /// <summary>γ for a training matrix with <paramref name="features"/> columns whose entries have variance <paramref name="variance"/>.</summary>
    public double Resolve(int features, double variance) => Mode switch
    {
        SvmGammaMode.Auto => 1.0 / features,
        SvmGammaMode.Scale => variance > 0 ? 1.0 / (features * variance) : 1.0,
        _ => Value,
    };

    public override string ToString() => Mode switch
    {
        SvmGammaMode.Scale => "scale",
        SvmGammaMode.Auto => "auto",
        _ => Value.ToString("R", CultureInfo.InvariantCulture),
    };
}
