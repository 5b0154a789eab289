using HarmoniousFeedback.Midi.Rendering;
using Xunit;

namespace HarmoniousFeedback.Tests.Midi.Rendering;

public class PianoSynthesizerKernelTests
{
    [Fact]
    public void Two_exponential_envelope_recurrence_matches_scalar_reference()
    {
        var rng = new Random(5);
        var x = Enumerable.Range(0, 9_001).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var fast = new float[x.Length];
        var slow = new float[x.Length];
        PianoSynthesizer.MultiplyAccumulateTwoExponentials(x, fast, 37, 0.7, 1.0 / 5600, 0.3, 1.0 / 56000);
        PianoSynthesizer.MultiplyAccumulateTwoExponentialsReference(x, slow, 37, 0.7, 1.0 / 5600, 0.3, 1.0 / 56000);
        double maxErr = 0;
        for (int i = 0; i < x.Length; i++) maxErr = Math.Max(maxErr, Math.Abs(fast[i] - slow[i]));
        Assert.True(maxErr < 1e-5, $"max |fast − reference| = {maxErr}");
    }
}
