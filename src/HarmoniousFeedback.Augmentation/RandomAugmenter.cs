using System.Text;
using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Augmentation;

/// <summary>
/// Seeded random speed and pitch perturbation (Ko et al. 2015, "Audio augmentation for speech recognition";
/// Schlüter &amp; Grill 2015 for music): copy k of a clip is pitch-shifted then time-stretched with parameters drawn
/// from a SplitMix64 stream seeded by (<see cref="RandomAugmentationOptions.Seed"/>, the clip's source name, k), so
/// the same copy is identical on every run and machine, independent of the order clips are processed in.
/// </summary>
public sealed class RandomAugmenter
{
    public RandomAugmenter(RandomAugmentationOptions? options = null)
    {
        Options = options ?? new RandomAugmentationOptions();
        Options.Validate();
    }

    public RandomAugmentationOptions Options { get; }

    /// <summary>The parameters copy <paramref name="copy"/> of a clip named <paramref name="source"/> gets (rate, semitones).</summary>
    public (double Rate, double NSteps) Draw(string source, int copy)
    {
        var rng = new SplitMix64(SplitMix64.Mix(unchecked((ulong)Options.Seed * SplitMix64.Golden ^ SplitMix64.Mix(Fnv1a(source)) ^ (ulong)copy * 0xD1B54A32D192ED03UL)));
        double u = rng.NextDouble(), v = rng.NextDouble();
        double rate = Math.Exp(Math.Log(Options.MinRate) + u * (Math.Log(Options.MaxRate) - Math.Log(Options.MinRate)));
        double steps = Options.MinNSteps + v * (Options.MaxNSteps - Options.MinNSteps);
        return (rate, steps);
    }

    /// <summary>Copy <paramref name="copy"/> (≥ 0) of <paramref name="clip"/>.</summary>
    public AugmentedClip Augment(AudioClip clip, int copy)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (copy < 0) throw new OptionsValidationException(nameof(RandomAugmenter), [$"copy = {copy} must be >= 0"]);
        var (rate, steps) = Draw(clip.Source, copy);
        var shifted = AudioAugmentation.PitchShift(clip, new PitchShiftOptions { NSteps = steps, Stretch = Options.Stretch });
        var stretched = AudioAugmentation.TimeStretch(shifted.Clip, Options.Stretch with { Rate = rate });
        return new AugmentedClip(stretched, copy, rate, shifted.EffectiveNSteps);
    }

    private static ulong Fnv1a(string s)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(s)) h = (h ^ b) * 0x100000001B3UL;
        return h;
    }
}
