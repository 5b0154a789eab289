using System.Globalization;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Options of <see cref="LogMelSpectrogram"/>: mel power in dB, <c>D = 10·log10(max(M, Amin))</c>, then
/// <c>max(D, max_clip(D) − TopDb)</c> with one maximum per clip (<c>torchaudio.transforms.AmplitudeToDB(stype='power', top_db)</c>
/// applied to a whole clip; <c>librosa.power_to_db(ref=1.0)</c>).
/// </summary>
public sealed record LogMelOptions
{
    public MelSpectrogramOptions Mel { get; init; } = new();
    /// <summary>Dynamic range kept below the clip's maximum (dB); null = no clamp.</summary>
    public double? TopDb { get; init; } = 80.0;
    /// <summary>Power floor before the logarithm (−100 dB).</summary>
    public double Amin { get; init; } = 1e-10;

    public void Validate() => AddProblems(new OptionsValidator(nameof(LogMelOptions))).ThrowFeatureIfAny();

    internal OptionsValidator AddProblems(OptionsValidator v)
    {
        Mel.AddProblems(v);
        if (TopDb is double t) v.Check(t >= 0 && double.IsFinite(t), $"TopDb = {t.ToString(CultureInfo.InvariantCulture)} must be >= 0");
        v.Check(Amin > 0 && double.IsFinite(Amin), $"Amin = {Amin.ToString(CultureInfo.InvariantCulture)} must be > 0");
        return v;
    }
}
