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
