using System.Globalization;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Options of <see cref="CrpChroma"/> (Müller &amp; Ewert 2010, "Towards timbre-invariant audio features for
/// harmony-based music"; the Chroma Toolbox's CRP defaults: 120 pitches, log factor 1000, coefficients 55–120 kept).
/// </summary>
public sealed record CrpChromaOptions
{
    /// <summary>The power STFT the pitch energies are read from (librosa-style framing). Default n_fft 2048, hop 160 at 16 kHz.</summary>
    public SpectrogramOptions Stft { get; init; } = new() { NFft = 2048, HopLength = 160 };

    /// <summary>η of the log compression <c>log(1 + η·E)</c> of the pitch energies (1 – 10⁶). Default 1000 (Chroma Toolbox).</summary>
    public double LogFactor { get; init; } = 1000;

    /// <summary>
    /// The first DCT coefficient kept, 1-based over the 120 pitches (2 – 120): coefficients 1 … n−1 (the smooth spectral
    /// envelope, i.e. timbre) are removed. Default 55 (Chroma Toolbox, "coeffsToKeep = 55:120").
    /// </summary>
    public int FirstKeptCoefficient { get; init; } = 55;

    /// <summary>Tuning deviation from A440 in semitones (−0.5 – 0.5). Default 0.</summary>
    public double Tuning { get; init; }

    public void Validate()
    {
        var v = Stft.AddProblems(new OptionsValidator(nameof(CrpChromaOptions)));
        v.InRange(nameof(LogFactor), LogFactor, 1, 1e6);
        v.InRange(nameof(FirstKeptCoefficient), FirstKeptCoefficient, 2, CrpChroma.Pitches);
        v.Check(Math.Abs(Tuning) <= 0.5, $"Tuning = {Tuning.ToString(CultureInfo.InvariantCulture)} must be in [-0.5, 0.5]");
        v.ThrowFeatureIfAny();
    }
}
