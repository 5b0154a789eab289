using System.Globalization;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Options of <see cref="Spectrogram"/>, named after <c>torchaudio.transforms.Spectrogram</c>. Defaults are the
/// project's (16 kHz speech/music analysis: 32 ms frames, 10 ms hop) with torchaudio's conventions: periodic Hann,
/// centred frames with reflect padding, power 2. See docs/compat.md.
/// </summary>
public sealed record SpectrogramOptions
{
    /// <summary>Sample rate (Hz) the extractor is built for; a clip at another rate is rejected.</summary>
    public int SampleRate { get; init; } = 16000;
    /// <summary>FFT size (even, ≥ 2; need not be a power of two).</summary>
    public int NFft { get; init; } = 512;
    /// <summary>Samples between frame starts.</summary>
    public int HopLength { get; init; } = 160;
    /// <summary>Window length W ≤ NFft (null = NFft); the window is centred in the frame.</summary>
    public int? WinLength { get; init; }
    public WindowType Window { get; init; } = WindowType.Hann;
    /// <summary>Periodic (DFT-even, divisor W) rather than symmetric (divisor W−1) window.</summary>
    public bool PeriodicWindow { get; init; } = true;
    /// <summary>Pad NFft/2 on both sides so that frame i is centred on sample i·HopLength.</summary>
    public bool Center { get; init; } = true;
    public PadMode PadMode { get; init; } = PadMode.Reflect;
    /// <summary>1 = magnitude |X|, 2 = power |X|² (torchaudio <c>power</c>).</summary>
    public double Power { get; init; } = 2.0;

    public int EffectiveWinLength => WinLength ?? NFft;

    /// <summary>Checks every option and throws one <see cref="FeatureParameterException"/> listing all problems.</summary>
    public void Validate() => AddProblems(new OptionsValidator(nameof(SpectrogramOptions))).ThrowFeatureIfAny();

    internal OptionsValidator AddProblems(OptionsValidator v)
    {
        v.InRange(nameof(SampleRate), SampleRate, 1, 10_000_000);
        v.Check(NFft >= 2 && NFft % 2 == 0 && NFft <= 1 << 20, $"NFft = {NFft} must be an even number in [2, 1048576]");
        v.InRange(nameof(HopLength), HopLength, 1, 1 << 24);
        if (WinLength is int w) v.Check(w >= 1 && w <= NFft, $"WinLength = {w} must be in [1, NFft = {NFft}]");
        v.Check(Power == 1.0 || Power == 2.0, $"Power = {Power.ToString(CultureInfo.InvariantCulture)} must be 1 (magnitude) or 2 (power)");
        return v;
    }
}

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

/// <summary>
/// Options of <see cref="Mfcc"/> (<c>torchaudio.transforms.MFCC(n_mfcc, dct_type=2, norm='ortho', log_mels=False, melkwargs)</c>):
/// orthonormal DCT-II of the clip-level top_db-clamped dB log-mel, no liftering. NMfcc defaults to 18 (the project's
/// 50-dim descriptor and the DSP anchors; torchaudio's own default is 40).
/// </summary>
public sealed record MfccOptions
{
    public MelSpectrogramOptions Mel { get; init; } = new();
    public int NMfcc { get; init; } = 18;
    public double? TopDb { get; init; } = 80.0;
    public double Amin { get; init; } = 1e-10;
    /// <summary>Orthonormal DCT-II (torchaudio/librosa default); false = unnormalised scipy <c>norm=None</c>.</summary>
    public bool OrthonormalDct { get; init; } = true;

    /// <summary>torchaudio conventions (the defaults).</summary>
    public static MfccOptions Torchaudio { get; } = new();

    /// <summary>librosa.feature.mfcc conventions: 20 coefficients on a 128-band Slaney/Slaney mel with zero centre padding.</summary>
    public static MfccOptions Librosa { get; } = new() { Mel = MelSpectrogramOptions.Librosa, NMfcc = 20 };

    public LogMelOptions ToLogMelOptions() => new() { Mel = Mel, TopDb = TopDb, Amin = Amin };

    public void Validate()
    {
        var v = ToLogMelOptions().AddProblems(new OptionsValidator(nameof(MfccOptions)));
        v.Check(NMfcc >= 1 && NMfcc <= Mel.NMels, $"NMfcc = {NMfcc} must be in [1, NMels = {Mel.NMels}]");
        v.ThrowFeatureIfAny();
    }
}
