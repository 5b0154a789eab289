using System.Globalization;

namespace HarmoniousFeedback.Augmentation;

/// <summary>
/// Options of <see cref="AudioAugmentation.TimeStretch"/>, named after <c>librosa.effects.time_stretch(y, rate)</c>:
/// <see cref="Rate"/> &gt; 1 speeds up (shorter output), &lt; 1 slows down; the pitch is unchanged.
/// </summary>
public sealed record TimeStretchOptions
{
    /// <summary>Speed factor (0.25 – 4): the output has round(N / Rate) samples per channel. Default 1 (a copy).</summary>
    public double Rate { get; init; } = 1.0;

    /// <summary>The algorithm. Default <see cref="TimeStretchAlgorithm.PhaseLockingVocoder"/> (piano and other tonal music).</summary>
    public TimeStretchAlgorithm Algorithm { get; init; } = TimeStretchAlgorithm.PhaseLockingVocoder;

    /// <summary>Analysis window in samples (64 – 65536; a power of two for the vocoders); null = NWaves' choice for the rate and sample rate (1024 at 16 kHz for the vocoders).</summary>
    public int? WinLength { get; init; }

    /// <summary>Analysis hop in samples (1 – WinLength); null = NWaves' choice (WinLength/8 for the phase-locking vocoder, /10 for the plain one).</summary>
    public int? HopLength { get; init; }

    /// <summary>Checks every option and throws one <see cref="OptionsValidationException"/> listing all problems.</summary>
    public void Validate() => AddProblems(new OptionsValidator(nameof(TimeStretchOptions))).ThrowIfAny();

    internal OptionsValidator AddProblems(OptionsValidator v)
    {
        v.InRange(nameof(Rate), Rate, 0.25, 4);
        v.Check(Enum.IsDefined(Algorithm), $"{nameof(Algorithm)} = {Algorithm} is not one of {string.Join(", ", Enum.GetNames<TimeStretchAlgorithm>())}");
        if (WinLength is int w)
        {
            v.InRange(nameof(WinLength), w, 64, 65536);
            if (Algorithm != TimeStretchAlgorithm.Wsola)
                v.Check((w & (w - 1)) == 0, $"{nameof(WinLength)} = {w.ToString(CultureInfo.InvariantCulture)} must be a power of two for the phase vocoders (their FFT size)");
        }
        if (HopLength is int h)
        {
            v.Check(WinLength is not null, $"{nameof(HopLength)} = {h} needs {nameof(WinLength)} too (NWaves takes both or neither)");
            v.InRange(nameof(HopLength), h, 1, WinLength ?? 65536);
        }
        else v.Check(WinLength is null, $"{nameof(WinLength)} = {WinLength} needs {nameof(HopLength)} too (NWaves takes both or neither)");
        return v;
    }
}
