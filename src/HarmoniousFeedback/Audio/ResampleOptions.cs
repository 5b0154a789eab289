namespace HarmoniousFeedback.Audio;

/// <summary>
/// Options of <see cref="Resampler"/>, named after <c>torchaudio.functional.resample(waveform, orig_freq, new_freq,
/// lowpass_filter_width=6, rolloff=0.99, resampling_method="sinc_interp_hann", beta=None)</c> and with its defaults.
/// </summary>
public sealed record ResampleOptions
{
    /// <summary>Sample rate of the input, Hz (torchaudio <c>orig_freq</c>).</summary>
    public int OrigFreq { get; init; }

    /// <summary>Sample rate of the output, Hz (torchaudio <c>new_freq</c>).</summary>
    public int NewFreq { get; init; }

    /// <summary>
    /// Zero crossings of the sinc kept on each side (torchaudio <c>lowpass_filter_width</c>, default 6). Larger is
    /// sharper and slower; 6 already keeps the spurious content of a 1 kHz tone below −70 dB for 44.1/48 ↔ 16 kHz
    /// (see <see cref="Resampler"/> and docs/audio-midi.md), so torchaudio's default is kept.
    /// </summary>
    public int LowpassFilterWidth { get; init; } = 6;

    /// <summary>Cut-off as a fraction of the lower Nyquist frequency (torchaudio <c>rolloff</c>, default 0.99).</summary>
    public double Rolloff { get; init; } = 0.99;

    /// <summary>Kernel window (torchaudio <c>resampling_method</c>).</summary>
    public ResamplingMethod ResamplingMethod { get; init; } = ResamplingMethod.SincInterpHann;

    /// <summary>Kaiser β (torchaudio <c>beta</c>); null means torchaudio's default 14.769656459379492. Ignored for Hann.</summary>
    public double? Beta { get; init; }

    /// <summary>torchaudio's default Kaiser β.</summary>
    public const double DefaultKaiserBeta = 14.769656459379492;

    /// <summary>Checks every option and throws one <see cref="OptionsValidationException"/> listing all problems.</summary>
    public void Validate()
    {
        var v = new OptionsValidator(nameof(ResampleOptions));
        v.Positive(nameof(OrigFreq), OrigFreq);
        v.Positive(nameof(NewFreq), NewFreq);
        v.InRange(nameof(LowpassFilterWidth), LowpassFilterWidth, 1, 1024);
        v.Check(Rolloff > 0 && Rolloff <= 1, $"{nameof(Rolloff)} = {Rolloff.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be in (0, 1]");
        v.Check(Enum.IsDefined(ResamplingMethod), $"{nameof(ResamplingMethod)} = {(int)ResamplingMethod} is not a defined method");
        if (Beta is { } b)
            v.InRange(nameof(Beta), b, 0, 100);
        if (OrigFreq > 0 && NewFreq > 0 && LowpassFilterWidth >= 1 && Rolloff > 0 && Rolloff <= 1)
        {
            long g = Resampler.Gcd(OrigFreq, NewFreq);
            long o = OrigFreq / g, n = NewFreq / g;
            long width = Resampler.KernelHalfWidth(o, n, LowpassFilterWidth, Rolloff);
            long coefficients = n * (2 * width + 2);
            v.Check(coefficients <= Resampler.MaxCoefficients,
                $"the ratio {NewFreq}/{OrigFreq} (reduced {n}/{o}) needs {coefficients} filter coefficients, more than the limit {Resampler.MaxCoefficients}; " +
                "choose rates with a larger common divisor or a smaller LowpassFilterWidth");
        }
        v.ThrowIfAny();
    }
}
