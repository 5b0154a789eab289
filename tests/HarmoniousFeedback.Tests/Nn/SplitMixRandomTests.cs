using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

public sealed class SplitMixRandomTests
{
    [Fact]
    public void Random_adapter_draws_the_same_doubles_as_splitmix64_from_the_same_seed()
    {
        var a = new SplitMixRandom(42);
        var core = new SplitMix64(SplitMix64.StateFromSeed(42));
        for (int i = 0; i < 100; i++) Assert.Equal(core.NextDouble(), a.NextDouble());
    }

    [Fact]
    public void Random_adapter_integer_draws_stay_in_their_ranges()
    {
        var a = new SplitMixRandom(7);
        for (int i = 0; i < 1000; i++)
        {
            Assert.InRange(a.Next(5), 0, 4);
            Assert.InRange(a.Next(-3, 3), -3, 2);
            Assert.InRange(a.NextSingle(), 0f, 0.99999994f);
        }
    }

    [Fact]
    public void Layers_initialised_from_two_adapters_with_the_same_seed_are_identical()
    {
        var l1 = new Linear(5, 4, rng: new SplitMixRandom(3));
        var l2 = new Linear(5, 4, rng: new SplitMixRandom(3));
        Assert.Equal(l1.Weight.ToArray(), l2.Weight.ToArray());
    }
}
