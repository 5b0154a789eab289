using HarmoniousFeedback.Audio;
using NWaves.Operations;
using NWaves.Operations.Tsm;
using NWaves.Signals;
using Resampler = HarmoniousFeedback.Audio.Resampler;

namespace HarmoniousFeedback.Augmentation;

/// <summary>
/// Time stretching and pitch shifting for data augmentation: NWaves' time-scale modification (phase vocoder,
/// phase-locking vocoder, WSOLA — the toolkit has none of its own) combined with the toolkit's band-limited
/// resampler (<see cref="Resampler"/>, torchaudio's windowed sinc), following librosa's definitions:
/// <code>
///   time_stretch(y, rate):   TSM by 1/rate, then fix the length to round(N / rate)       (librosa.effects.time_stretch)
///   pitch_shift(y, n, bpo):  p = 2^(n / bpo) ≈ a/b;  TSM by a/b (length ≈ N·a/b, pitch kept),
///                            resample from "a Hz" to "b Hz" (length ≈ N, every frequency × a/b),
///                            fix the length to N                                           (librosa.effects.pitch_shift)
/// </code>
/// Channels are processed independently; the sample rate never changes. The phase vocoders' output matches
/// librosa's qualitatively (same method), not sample for sample (different windows, hops and phase handling).
/// </summary>
public static class AudioAugmentation
{
    /// <summary>The clip played <paramref name="options"/>.Rate times faster at the same pitch: round(N / Rate) samples per channel.</summary>
    public static AudioClip TimeStretch(AudioClip clip, TimeStretchOptions options)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int length = (int)Math.Round(clip.Channels[0].Length / options.Rate);
        var channels = clip.Channels.Select(x => FixLength(Stretch(x, clip.SampleRate, 1 / options.Rate, options), length)).ToArray();
        return new AudioClip(channels, clip.SampleRate, clip.Source);
    }

    /// <summary>The clip with every frequency multiplied by 2^(NSteps/BinsPerOctave), same duration and sample rate.</summary>
    public static PitchShiftResult PitchShift(AudioClip clip, PitchShiftOptions options)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        double factor = Math.Pow(2, options.NSteps / options.BinsPerOctave);
        var (a, b) = Rational(factor, options.MaxRatioDenominator);
        int n = clip.Channels[0].Length;
        var channels = clip.Channels.Select(x =>
        {
            if (a == b) return (float[])x.Clone();
            var stretched = Stretch(x, clip.SampleRate, (double)a / b, options.Stretch);
            return FixLength(Resampler.Resample(stretched, a, b), n);
        }).ToArray();
        return new PitchShiftResult(new AudioClip(channels, clip.SampleRate, clip.Source), options.BinsPerOctave * Math.Log2((double)a / b), (a, b));
    }

    /// <summary>NWaves TSM: output duration = <paramref name="stretch"/> × input duration.</summary>
    private static float[] Stretch(float[] x, int sampleRate, double stretch, TimeStretchOptions o)
    {
        if (Math.Abs(stretch - 1) < 1e-12 || x.Length == 0) return (float[])x.Clone();
        var algorithm = o.Algorithm switch
        {
            TimeStretchAlgorithm.PhaseVocoder => TsmAlgorithm.PhaseVocoder,
            TimeStretchAlgorithm.Wsola => TsmAlgorithm.Wsola,
            _ => TsmAlgorithm.PhaseVocoderPhaseLocking,
        };
        var signal = new DiscreteSignal(sampleRate, x, allocateNew: true);
        var y = o.WinLength is int w
            ? Operation.TimeStretch(signal, stretch, w, o.HopLength!.Value, algorithm)
            : Operation.TimeStretch(signal, stretch, algorithm);
        return y.Samples;
    }

    /// <summary>Trims or zero-pads at the end to <paramref name="length"/> (librosa's <c>util.fix_length</c>).</summary>
    private static float[] FixLength(float[] x, int length)
    {
        if (x.Length == length) return x;
        var y = new float[length];
        Array.Copy(x, y, Math.Min(length, x.Length));
        return y;
    }

    /// <summary>The fraction a/b closest to <paramref name="x"/> with b ≤ <paramref name="maxDenominator"/> (continued fractions, as Python's Fraction.limit_denominator).</summary>
    internal static (int Numerator, int Denominator) Rational(double x, int maxDenominator)
    {
        long p0 = 0, q0 = 1, p1 = 1, q1 = 0;
        double r = x;
        for (int i = 0; i < 64; i++)
        {
            long a = (long)Math.Floor(r);
            long q2 = q0 + a * q1;
            if (q2 > maxDenominator) break;
            (p0, q0, p1, q1) = (p1, q1, p0 + a * p1, q2);
            double frac = r - a;
            if (frac < 1e-12) break;
            r = 1 / frac;
        }
        // The best approximation is either the last convergent or a semiconvergent with the largest allowed denominator.
        long k = (maxDenominator - q0) / q1;
        (long bp, long bq) = (p0 + k * p1, q0 + k * q1);
        return Math.Abs(x - (double)p1 / q1) <= Math.Abs(x - (double)bp / bq) ? ((int)p1, (int)q1) : ((int)bp, (int)bq);
    }
}
