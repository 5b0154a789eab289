using System.Globalization;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>Options of <see cref="FormantTracker"/> (LPC by autocorrelation + Levinson–Durbin, polynomial roots).</summary>
public sealed record FormantOptions
{
    public int SampleRate { get; init; } = 16000;
    public int HopLength { get; init; } = 160;
    /// <summary>Analysis rate: the signal is resampled to this rate (explicitly, by <see cref="RationalResampler"/>) when the input rate is higher; 2× the highest formant of interest (Praat's "maximum formant" 5000 Hz).</summary>
    public int AnalysisSampleRate { get; init; } = 10000;
    /// <summary>LPC order; null = 2 + analysis rate/1000 (12 at 10 kHz).</summary>
    public int? LpcOrder { get; init; }
    /// <summary>Pre-emphasis <c>y[n] = x[n] − α·x[n−1]</c> applied at the analysis rate (0 = off).</summary>
    public double PreEmphasis { get; init; } = 0.97;
    /// <summary>Hamming analysis window length (s), centred on the frame time.</summary>
    public double WindowSeconds { get; init; } = 0.030;
    /// <summary>Roots below this frequency (Hz) are rejected (near-DC poles model spectral tilt, not resonances).</summary>
    public double MinFormantHz { get; init; } = 90;
    /// <summary>Roots with a bandwidth above this (Hz) are rejected.</summary>
    public double MaxBandwidthHz { get; init; } = 500;
    /// <summary>Frames whose RMS is below this level (dBFS) give no estimate (all zeros).</summary>
    public double SilenceDb { get; init; } = -60;

    public int EffectiveAnalysisRate => Math.Min(SampleRate, AnalysisSampleRate);
    public int EffectiveOrder => LpcOrder ?? 2 + EffectiveAnalysisRate / 1000;

    public void Validate()
    {
        var v = new OptionsValidator(nameof(FormantOptions));
        v.InRange(nameof(SampleRate), SampleRate, 1000, 1_000_000);
        v.InRange(nameof(HopLength), HopLength, 1, 1 << 24);
        v.InRange(nameof(AnalysisSampleRate), AnalysisSampleRate, 4000, 1_000_000);
        v.InRange("LpcOrder", EffectiveOrder, 8, 64);
        v.InRange(nameof(PreEmphasis), PreEmphasis, 0, 0.999);
        v.InRange(nameof(WindowSeconds), WindowSeconds, 0.005, 0.2);
        v.Check(MinFormantHz >= 0 && MinFormantHz < EffectiveAnalysisRate / 2.0, $"MinFormantHz = {MinFormantHz.ToString(CultureInfo.InvariantCulture)} must be in [0, analysis rate/2 = {EffectiveAnalysisRate / 2.0})");
        v.Positive(nameof(MaxBandwidthHz), MaxBandwidthHz);
        v.InRange(nameof(SilenceDb), SilenceDb, -200, 0);
        v.ThrowFeatureIfAny();
    }
}
