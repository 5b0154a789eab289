using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using Xunit;

namespace HarmoniousFeedback.Augmentation.Tests;

public class AudioAugmentationTests
{
    private const int Sr = 16000;

    /// <summary>A 220 Hz tone with 4 harmonics (1/h amplitudes), 2 s.</summary>
    private static AudioClip Tone(double f0 = 220, double seconds = 2)
    {
        var x = new float[(int)(seconds * Sr)];
        for (int t = 0; t < x.Length; t++)
            for (int h = 1; h <= 4; h++) x[t] += (float)(0.2 / h * Math.Sin(2 * Math.PI * h * f0 * t / Sr));
        return new AudioClip(x, Sr, "tone");
    }

    /// <summary>Median F0 (Hz) of the voiced frames by the toolkit's YIN tracker, away from the first and last 0.2 s.</summary>
    private static double MedianF0(AudioClip clip)
    {
        var m = new PitchTracker(new PitchOptions { SampleRate = Sr }).Compute(clip);
        var f0 = Enumerable.Range(0, m.Rows).Where(i => m.FrameTimes[i] > 0.2 && m.FrameTimes[i] < clip.Channels[0].Length / (double)Sr - 0.2)
            .Select(i => (double)m[i, 0]).Where(v => v > 0).Order().ToArray();
        Assert.NotEmpty(f0);
        return f0[f0.Length / 2];
    }

    private static double Cents(double a, double b) => 1200 * Math.Log2(a / b);

    // YIN on a clean stationary tone is within ~1 cent; the phase vocoders' and WSOLA's frame-to-frame phase
    // handling adds small frequency wobble, so 10 cents (a tenth of a semitone) is the bound for "pitch kept".
    private const double PitchToleranceCents = 10;

    [Theory]
    [InlineData(0.8, TimeStretchAlgorithm.PhaseLockingVocoder)]
    [InlineData(1.25, TimeStretchAlgorithm.PhaseLockingVocoder)]
    [InlineData(0.8, TimeStretchAlgorithm.PhaseVocoder)]
    [InlineData(1.25, TimeStretchAlgorithm.Wsola)]
    public void Time_stretch_gives_N_over_rate_samples_and_keeps_the_pitch(double rate, TimeStretchAlgorithm algorithm)
    {
        var tone = Tone();
        var y = AudioAugmentation.TimeStretch(tone, new TimeStretchOptions { Rate = rate, Algorithm = algorithm });
        Assert.Equal((int)Math.Round(tone.Channels[0].Length / rate), y.Channels[0].Length);
        Assert.Equal(Sr, y.SampleRate);
        Assert.InRange(Cents(MedianF0(y), 220), -PitchToleranceCents, PitchToleranceCents);
    }

    [Theory]
    [InlineData(12.0)]
    [InlineData(-5.0)]
    [InlineData(2.5)]
    public void Pitch_shift_moves_the_pitch_by_n_steps_and_keeps_the_length(double nSteps)
    {
        var tone = Tone();
        var r = AudioAugmentation.PitchShift(tone, new PitchShiftOptions { NSteps = nSteps });
        Assert.Equal(tone.Channels[0].Length, r.Clip.Channels[0].Length);
        Assert.InRange(r.EffectiveNSteps - nSteps, -0.0078, 0.0078); // b ≤ 1000: at most 0.78 cent off (PitchShiftOptions.MaxRatioDenominator)
        double expected = 220 * Math.Pow(2, nSteps / 12);
        Assert.InRange(Cents(MedianF0(r.Clip), expected), -PitchToleranceCents, PitchToleranceCents);
    }

    [Fact]
    public void Rate_one_and_zero_steps_return_an_identical_copy()
    {
        var tone = Tone(seconds: 0.5);
        Assert.Equal(tone.Channels[0], AudioAugmentation.TimeStretch(tone, new TimeStretchOptions()).Channels[0]);
        var shifted = AudioAugmentation.PitchShift(tone, new PitchShiftOptions());
        Assert.Equal(tone.Channels[0], shifted.Clip.Channels[0]);
        Assert.Equal((1, 1), shifted.Ratio);
    }

    [Fact]
    public void Every_channel_is_processed_and_the_sample_rate_kept()
    {
        var a = Tone(220, 1).Channels[0];
        var b = Tone(330, 1).Channels[0];
        var y = AudioAugmentation.TimeStretch(new AudioClip([a, b], Sr, "stereo"), new TimeStretchOptions { Rate = 2 });
        Assert.Equal(2, y.ChannelCount);
        Assert.All(y.Channels, c => Assert.Equal(8000, c.Length));
    }

    [Theory]
    [InlineData(1.5, 200, 3, 2)]
    [InlineData(Math.PI, 100, 311, 99)] // Fraction(math.pi).limit_denominator(100) = 311/99
    [InlineData(1.0, 200, 1, 1)]
    public void Rational_approximation_matches_pythons_limit_denominator(double x, int maxDen, int a, int b)
        => Assert.Equal((a, b), AudioAugmentation.Rational(x, maxDen));

    [Fact]
    public void Invalid_options_are_reported_together()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new TimeStretchOptions { Rate = 10, WinLength = 1000 }.Validate());
        Assert.Equal(3, e.Problems.Count); // Rate range, power of two, missing HopLength
        var p = Assert.Throws<OptionsValidationException>(() => new PitchShiftOptions { NSteps = 30 }.Validate());
        Assert.Contains("NSteps = 30", Assert.Single(p.Problems));
    }
}
