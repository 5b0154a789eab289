using System.Globalization;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Options of <see cref="PitchTracker"/> (YIN, de Cheveigné &amp; Kawahara 2002). Frames are centred on sample
/// <c>i·HopLength</c> (the spectrogram grid), each analysing <c>FrameLength</c> samples around its centre (zeros outside
/// the signal).
/// </summary>
public sealed record PitchOptions
{
    public int SampleRate { get; init; } = 16000;
    public int HopLength { get; init; } = 160;
    /// <summary>Lowest F0 searched (Hz); sets the longest lag <c>τ_max = ceil(sr/FMin)</c>.</summary>
    public double FMin { get; init; } = 50;
    /// <summary>Highest F0 searched (Hz); sets the shortest lag <c>τ_min = floor(sr/FMax)</c>.</summary>
    public double FMax { get; init; } = 1100;
    /// <summary>Analysis samples per frame (64 ms at 16 kHz): the integration window is <c>W = FrameLength − τ_max</c>, which must be ≥ τ_max (≥ one period of FMin).</summary>
    public int FrameLength { get; init; } = 1024;
    /// <summary>YIN absolute threshold on the cumulative-mean-normalised difference d′: the first dip below it is taken (prevents sub-octave errors).</summary>
    public double Threshold { get; init; } = 0.15;
    /// <summary>A frame is voiced when d′ at the chosen lag is below this (and the frame is not silent).</summary>
    public double VoicingThreshold { get; init; } = 0.3;
    /// <summary>Frames whose RMS is below this level (dBFS) are unvoiced.</summary>
    public double SilenceDb { get; init; } = -60;

    public int TauMin => Math.Max(2, (int)Math.Floor(SampleRate / FMax));
    public int TauMax => (int)Math.Ceiling(SampleRate / FMin);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(PitchOptions));
        v.InRange(nameof(SampleRate), SampleRate, 1000, 1_000_000);
        v.InRange(nameof(HopLength), HopLength, 1, 1 << 24);
        v.Check(FMin > 0 && FMin < FMax, $"FMin = {FMin.ToString(CultureInfo.InvariantCulture)} must be in (0, FMax = {FMax.ToString(CultureInfo.InvariantCulture)})");
        v.Check(FMax < SampleRate / 4.0, $"FMax = {FMax.ToString(CultureInfo.InvariantCulture)} must be < SampleRate/4 = {(SampleRate / 4.0).ToString(CultureInfo.InvariantCulture)}");
        if (FMin > 0) v.Check(FrameLength >= 2 * TauMax && FrameLength <= 1 << 20,
            $"FrameLength = {FrameLength} must be in [2·ceil(SampleRate/FMin) = {2 * TauMax}, 1048576] (at least two periods of FMin)");
        v.InRange(nameof(Threshold), Threshold, 0.01, 1);
        v.InRange(nameof(VoicingThreshold), VoicingThreshold, 0.01, 1);
        v.InRange(nameof(SilenceDb), SilenceDb, -200, 0);
        v.ThrowFeatureIfAny();
    }
}
