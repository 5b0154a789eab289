using HarmoniousFeedback.Audio;
using Xunit;

namespace HarmoniousFeedback.Augmentation.Tests;

public class RandomAugmenterTests
{
    private static AudioClip Clip(string source)
    {
        var x = new float[8000];
        for (int t = 0; t < x.Length; t++) x[t] = (float)(0.3 * Math.Sin(2 * Math.PI * 330 * t / 16000.0));
        return new AudioClip(x, 16000, source);
    }

    [Fact]
    public void The_same_seed_source_and_copy_give_an_identical_clip()
    {
        var options = new RandomAugmentationOptions { Seed = 42 };
        var a = new RandomAugmenter(options).Augment(Clip("piece1.wav"), 3);
        var b = new RandomAugmenter(options).Augment(Clip("piece1.wav"), 3);
        Assert.Equal(a.Clip.Channels[0], b.Clip.Channels[0]);
        Assert.Equal((a.Rate, a.NSteps), (b.Rate, b.NSteps));
    }

    [Fact]
    public void Draws_stay_in_their_ranges_and_differ_between_copies_and_seeds()
    {
        var aug = new RandomAugmenter(new RandomAugmentationOptions { Seed = 1, MinRate = 0.8, MaxRate = 1.2, MinNSteps = -2, MaxNSteps = 2 });
        var draws = Enumerable.Range(0, 200).Select(k => aug.Draw("x", k)).ToArray();
        Assert.All(draws, d => { Assert.InRange(d.Rate, 0.8, 1.2); Assert.InRange(d.NSteps, -2, 2); });
        Assert.Equal(200, draws.Distinct().Count());
        Assert.NotEqual(aug.Draw("x", 0), new RandomAugmenter(new RandomAugmentationOptions { Seed = 2, MinRate = 0.8, MaxRate = 1.2, MinNSteps = -2, MaxNSteps = 2 }).Draw("x", 0));
        Assert.NotEqual(aug.Draw("x", 0), aug.Draw("y", 0));
    }

    [Fact]
    public void An_augmented_copy_has_the_drawn_length()
    {
        var aug = new RandomAugmenter(new RandomAugmentationOptions { Seed = 5 });
        var r = aug.Augment(Clip("p"), 0);
        Assert.Equal((int)Math.Round(8000 / r.Rate), r.Clip.Channels[0].Length);
    }
}
