using System.Globalization;

namespace HarmoniousFeedback.Features;

/// <summary>Options of <see cref="Chroma"/> (librosa.feature.chroma_stft / librosa.filters.chroma).</summary>
public sealed record ChromaOptions
{
    public SpectrogramOptions Stft { get; init; } = new();
    public int NChroma { get; init; } = 12;
    /// <summary>Tuning deviation from A440 in fractions of a chroma bin.</summary>
    public double Tuning { get; init; }
    /// <summary>Centre octave of the Gaussian octave weighting (librosa ctroct).</summary>
    public double CenterOctave { get; init; } = 5.0;
    /// <summary>Width (octaves) of the Gaussian octave weighting; null = flat (librosa octwidth).</summary>
    public double? OctaveWidth { get; init; } = 2.0;
    /// <summary>Start at C (true) rather than A.</summary>
    public bool BaseC { get; init; } = true;

    public void Validate()
    {
        var v = Stft.AddProblems(new OptionsValidator(nameof(ChromaOptions)));
        v.InRange(nameof(NChroma), NChroma, 1, 1200);
        v.Check(Math.Abs(Tuning) <= 0.5, $"Tuning = {Tuning.ToString(CultureInfo.InvariantCulture)} must be in [-0.5, 0.5]");
        if (OctaveWidth is double w) v.Positive(nameof(OctaveWidth), w);
        v.ThrowFeatureIfAny();
    }
}
