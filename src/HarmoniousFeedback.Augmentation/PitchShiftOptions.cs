namespace HarmoniousFeedback.Augmentation;

/// <summary>
/// Options of <see cref="AudioAugmentation.PitchShift"/>, named after <c>librosa.effects.pitch_shift(y, sr, n_steps,
/// bins_per_octave)</c>: the pitch moves by <see cref="NSteps"/>/<see cref="BinsPerOctave"/> octaves, the duration is
/// unchanged. Time stretching uses <see cref="Stretch"/>'s algorithm and window (its <c>Rate</c> is ignored).
/// </summary>
public sealed record PitchShiftOptions
{
    /// <summary>Steps to shift by (fractional allowed), at most two octaves either way (|NSteps| ≤ 2·BinsPerOctave). Default 0 (a copy).</summary>
    public double NSteps { get; init; }

    /// <summary>Steps per octave (1 – 120). Default 12 (semitones).</summary>
    public int BinsPerOctave { get; init; } = 12;

    /// <summary>The time-stretch part: algorithm, window and hop.</summary>
    public TimeStretchOptions Stretch { get; init; } = new();

    /// <summary>
    /// Largest denominator b of the rational a/b that approximates the pitch factor 2^(NSteps/BinsPerOctave) for the
    /// band-limited resampler (1 – 4096; the resampler keeps b filter phases). Default 1000: over ±24 semitones on a
    /// 1-cent grid the applied shift is then at most 0.78 cent off (Python's <c>Fraction.limit_denominator(1000)</c>
    /// gives the same fractions); <see cref="PitchShiftResult.EffectiveNSteps"/> reports the exact shift applied.
    /// </summary>
    public int MaxRatioDenominator { get; init; } = 1000;

    /// <summary>Checks every option and throws one <see cref="OptionsValidationException"/> listing all problems.</summary>
    public void Validate()
    {
        var v = new OptionsValidator(nameof(PitchShiftOptions));
        v.InRange(nameof(BinsPerOctave), BinsPerOctave, 1, 120);
        v.Check(double.IsFinite(NSteps) && Math.Abs(NSteps) <= 2.0 * BinsPerOctave,
            $"{nameof(NSteps)} = {NSteps.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be within ±2 octaves (±{2 * BinsPerOctave} steps at {nameof(BinsPerOctave)} = {BinsPerOctave})");
        v.InRange(nameof(MaxRatioDenominator), MaxRatioDenominator, 1, 4096);
        (Stretch with { Rate = 1 }).AddProblems(v);
        v.ThrowIfAny();
    }
}
