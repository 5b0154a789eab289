using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>
/// The recurrent kernels rent their tape and gate-gradient buffers from a pool; a rented buffer holds whatever the
/// previous user left. Results must not depend on that: the same step repeated after unrelated calls (other shapes,
/// other lengths, no-grad forwards) gives bit-identical outputs and gradients.
/// </summary>
public sealed class RecurrentBufferReuseTests
{
    private static float[] Step(RecurrentBase m, Tensor x, int[]? lengths)
    {
        m.ZeroGrad(setToNull: true);
        Tensor y = m is LSTM l ? l.Forward(x, lengths: lengths).Output : ((GRU)m).Forward(x, lengths: lengths).Output;
        (y * y).Sum().Backward();
        return [.. y.ToArray(), .. m.Parameters().SelectMany(p => p.Grad!.ToArray())];
    }

    private static void Pollute(RecurrentBase m, int batch, int steps)
    {
        // leave non-zero values in pooled buffers of the same size class (every row active) and of another size
        var same = Tensor.Uniform(new NnRng(8), -5f, 5f, batch, steps, m.InputSize);
        Step(m, same, null);
        var big = Tensor.Uniform(new NnRng(9), -50f, 50f, 3, 11, m.InputSize);
        using (Tensor.NoGrad()) { if (m is LSTM l) l.Forward(big); else ((GRU)m).Forward(big); }
        Step(m, big, [11, 4, 7]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Repeated_steps_are_identical_despite_pooled_buffers(bool lstm)
    {
        RecurrentBase m = lstm ? new LSTM(3, 5, 2, batchFirst: true, bidirectional: true, rng: new NnRng(1))
                               : new GRU(3, 5, 2, batchFirst: true, bidirectional: true, rng: new NnRng(1));
        var x = Tensor.Uniform(new NnRng(2), -1f, 1f, 4, 6, 3);
        int[] lengths = [6, 2, 5, 1];
        var first = Step(m, x, lengths);
        Pollute(m, 4, 6);
        var second = Step(m, x, lengths);
        Assert.Equal(first, second);
    }
}
