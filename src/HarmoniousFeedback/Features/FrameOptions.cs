using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Frame placement shared by <see cref="ShortTimeEnergy"/> and <see cref="ZeroCrossingRate"/>: the same grid as the
/// spectrogram (frame i covers <c>xp[i·hop .. i·hop + NFft − 1]</c> of the centred, padded signal), and the analysed
/// samples are the <c>W = WinLength</c> samples under the centred window, <c>xp[i·hop + L + m]</c>,
/// <c>L = floor((NFft − W)/2)</c>, with no window applied.
/// </summary>
public sealed record FrameOptions
{
    public int SampleRate { get; init; } = 16000;
    public int NFft { get; init; } = 512;
    public int HopLength { get; init; } = 160;
    public int? WinLength { get; init; }
    public bool Center { get; init; } = true;
    public PadMode PadMode { get; init; } = PadMode.Reflect;

    public int EffectiveWinLength => WinLength ?? NFft;

    public void Validate() => AddProblems(new OptionsValidator(nameof(FrameOptions))).ThrowFeatureIfAny();

    internal OptionsValidator AddProblems(OptionsValidator v)
    {
        v.InRange(nameof(SampleRate), SampleRate, 1, 10_000_000);
        v.Check(NFft >= 2 && NFft % 2 == 0 && NFft <= 1 << 20, $"NFft = {NFft} must be an even number in [2, 1048576]");
        v.InRange(nameof(HopLength), HopLength, 1, 1 << 24);
        if (WinLength is int w) v.Check(w >= 2 && w <= NFft, $"WinLength = {w} must be in [2, NFft = {NFft}]");
        return v;
    }
}
