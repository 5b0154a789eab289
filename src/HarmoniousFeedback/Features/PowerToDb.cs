using System.Numerics.Tensors;

namespace HarmoniousFeedback.Features;

/// <summary>Power → decibel conversion with a clip-level dynamic-range clamp (<c>librosa.power_to_db(ref=1)</c>, torchaudio <c>AmplitudeToDB('power')</c>).</summary>
public static class PowerToDb
{
    /// <summary>In place: <c>D = 10·log10(max(P, amin))</c>. Returns the maximum of D.</summary>
    public static float Convert(Span<float> values, double amin = 1e-10)
    {
        float a = (float)amin;
        TensorPrimitives.Max(values, a, values);
        TensorPrimitives.Log10(values, values);
        TensorPrimitives.Multiply(values, 10f, values);
        return values.Length == 0 ? float.NegativeInfinity : TensorPrimitives.Max(values);
    }

    /// <summary>In place: <c>D = max(D, dmax − topDb)</c>.</summary>
    public static void Clamp(Span<float> values, float dmax, double topDb)
        => TensorPrimitives.Max(values, (float)(dmax - topDb), values);

    /// <summary>Both steps over a whole clip: one maximum for all frames and bands.</summary>
    public static void Apply(Span<float> values, double amin, double? topDb)
    {
        float dmax = Convert(values, amin);
        if (topDb is double t && values.Length > 0) Clamp(values, dmax, t);
    }
}
