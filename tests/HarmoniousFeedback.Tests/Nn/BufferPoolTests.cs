using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

[Collection("BufferPool")]
public sealed class BufferPoolTests
{
    [Fact]
    public void ReturnedLargeArraysAreReusedByExactLengthSmallOnesAreNot()
    {
        BufferPool.Clear();
        var big = new float[BufferPool.MinLength + 3];
        BufferPool.Return(big);
        Assert.Equal(4L * big.Length, BufferPool.HeldBytes);
        Assert.NotSame(big, BufferPool.Rent(big.Length + 1));      // another length: fresh array
        Assert.Same(big, BufferPool.Rent(big.Length));
        Assert.Equal(0, BufferPool.HeldBytes);
        var small = new float[16];
        BufferPool.Return(small);
        Assert.Equal(0, BufferPool.HeldBytes);
        Assert.NotSame(small, BufferPool.Rent(16));
    }

    [Fact]
    public void HoldsAtMostTheCapacity()
    {
        BufferPool.Clear();
        int len = (int)(BufferPool.CapacityBytes / 4 / 3);
        for (int i = 0; i < 5; i++) BufferPool.Return(new float[len]);
        Assert.Equal(3L * 4 * len, BufferPool.HeldBytes);
        BufferPool.Clear();
        Assert.Equal(0, BufferPool.HeldBytes);
    }

    [Fact]
    public void ConvolutionTrainingGivesIdenticalResultsWithAWarmPool()
    {
        float[] Step()
        {
            var m = new Sequential(new Conv2d(1, 4, 3, 1, 1, rng: new Random(1)), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 8, 3, 1, 1, rng: new Random(2)), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2));
            var x = Tensor.Uniform(new Random(3), -1f, 1f, 16, 1, 64, 90);
            var opt = new SGD(m.Parameters(), 0.1);
            for (int i = 0; i < 3; i++) { opt.ZeroGrad(); m.Forward(x).Square().Mean().Backward(); opt.Step(); }
            return m.Parameters().SelectMany(p => p.ToArray()).ToArray();
        }
        BufferPool.Clear();
        var cold = Step();
        Assert.True(BufferPool.HeldBytes > 0);   // the backward passes gave their gradient buffers back
        var warm = Step();
        Assert.Equal(cold, warm);
    }
}

/// <summary>The pool is process-wide: these tests run alone, after the parallel ones, so no other test's backward pass
/// returns or rents buffers while they count bytes.</summary>
[CollectionDefinition("BufferPool", DisableParallelization = true)]
public sealed class BufferPoolCollection;
