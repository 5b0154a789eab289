using System.Globalization;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Options of <see cref="MelSpectrogram"/> (<c>torchaudio.transforms.MelSpectrogram</c>): the STFT options plus the
/// mel filterbank. <see cref="Torchaudio"/> (default) uses HTK scale and no norm; <see cref="Librosa"/> uses Slaney
/// scale and Slaney norm with librosa ≥ 0.10's constant (zero) centre padding.
/// </summary>
public sealed record MelSpectrogramOptions
{
    public int SampleRate { get; init; } = 16000;
    public int NFft { get; init; } = 512;
    public int HopLength { get; init; } = 160;
    public int? WinLength { get; init; }
    public WindowType Window { get; init; } = WindowType.Hann;
    public bool PeriodicWindow { get; init; } = true;
    public bool Center { get; init; } = true;
    public PadMode PadMode { get; init; } = PadMode.Reflect;
    public double Power { get; init; } = 2.0;
    /// <summary>Number of mel bands.</summary>
    public int NMels { get; init; } = 64;
    /// <summary>Lowest filter edge (Hz).</summary>
    public double FMin { get; init; }
    /// <summary>Highest filter edge (Hz); null = SampleRate/2.</summary>
    public double? FMax { get; init; }
    public MelScale MelScale { get; init; } = MelScale.Htk;
    public MelNorm MelNorm { get; init; } = MelNorm.None;

    public double EffectiveFMax => FMax ?? SampleRate / 2.0;

    /// <summary>torchaudio conventions (the defaults).</summary>
    public static MelSpectrogramOptions Torchaudio { get; } = new();

    /// <summary>librosa conventions: Slaney scale + Slaney norm, zero (constant) centre padding, 128 mels, n_fft 2048, hop 512.</summary>
    public static MelSpectrogramOptions Librosa { get; } = new()
    {
        NFft = 2048, HopLength = 512, NMels = 128, MelScale = MelScale.Slaney, MelNorm = MelNorm.Slaney, PadMode = PadMode.Constant,
    };

    public SpectrogramOptions ToSpectrogramOptions() => new()
    {
        SampleRate = SampleRate, NFft = NFft, HopLength = HopLength, WinLength = WinLength, Window = Window,
        PeriodicWindow = PeriodicWindow, Center = Center, PadMode = PadMode, Power = Power,
    };

    public void Validate() => AddProblems(new OptionsValidator(nameof(MelSpectrogramOptions))).ThrowFeatureIfAny();

    internal OptionsValidator AddProblems(OptionsValidator v)
    {
        ToSpectrogramOptions().AddProblems(v);
        v.InRange(nameof(NMels), NMels, 1, 4096);
        double fmax = EffectiveFMax;
        v.Check(FMin >= 0 && double.IsFinite(FMin), $"FMin = {FMin.ToString(CultureInfo.InvariantCulture)} must be >= 0");
        v.Check(fmax > FMin && fmax <= SampleRate / 2.0,
            $"FMax = {fmax.ToString(CultureInfo.InvariantCulture)} must be in (FMin = {FMin.ToString(CultureInfo.InvariantCulture)}, SampleRate/2 = {(SampleRate / 2.0).ToString(CultureInfo.InvariantCulture)}]");
        return v;
    }
}
