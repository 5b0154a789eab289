using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

[Collection("BufferPool")]
public sealed class BufferPoolTests
{
    [Fact]
    public void Returned_large_arrays_are_reused_by_exact_length_and_small_ones_are_not()
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
    public void Pool_holds_at_most_its_capacity()
    {
        BufferPool.Clear();
        int len = (int)(BufferPool.CapacityBytes / 4 / 3);
        for (int i = 0; i < 5; i++) BufferPool.Return(new float[len]);
        Assert.Equal(3L * 4 * len, BufferPool.HeldBytes);
        BufferPool.Clear();
        Assert.Equal(0, BufferPool.HeldBytes);
    }

    [Fact]
    public void Every_op_overwrites_the_uninitialised_buffers_it_takes()
    {
        // training steps through conv/BN/pool (fused and plain), LSTM, attention, GRU, layer norm, elementwise and shape
        // ops; with poisoning every Uninit buffer starts as NaN, so any element an op forgets to write would show up
        float[] Train()
        {
            var rng = new NnRng(1);
            var cnn = new Sequential(new Conv2d(1, 4, 3, 1, 1, rng: rng), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 6, 3, 1, 1, rng: rng), new BatchNorm2d(6), new ReLU(), new AvgPool2d(2), new Conv2d(6, 8, 3, 2, 1, rng: rng),
                new AdaptiveAvgPool2d(1), new Flatten());
            var lstm = new LSTM(8, 12, 2, batchFirst: true, rng: rng);
            var gru = new GRU(12, 10, 1, batchFirst: true, rng: rng);
            var attn = new AdditiveAttentionPooling(10, 6, rng);
            var norm = new LayerNorm(10);
            var fc = new Linear(10 + 8, 3, rng: rng);
            var ps = cnn.Parameters().Concat(lstm.Parameters()).Concat(gru.Parameters()).Concat(attn.Parameters()).Concat(norm.Parameters()).Concat(fc.Parameters()).ToList();
            var opt = new AdamW(ps, 1e-2);
            var img = Tensor.Uniform(new NnRng(2), -1f, 1f, 4, 1, 20, 27);
            var seq = Tensor.Uniform(new NnRng(3), -1f, 1f, 4, 7, 8);
            long[] y = [0, 1, 2, 1];
            for (int step = 0; step < 3; step++)
            {
                opt.ZeroGrad();
                var (h, _, _) = lstm.Forward(seq, lengths: [7, 5, 7, 3]);
                var (h2, _) = gru.Forward(h.Tanh() * h.Sigmoid());
                var pooled = norm.Forward(attn.Forward(h2, [7, 5, 7, 3]).Context);
                var feats = Tensor.Concat([pooled, cnn.Forward(img).Exp().Sqrt()], 1);
                (F.CrossEntropy(fc.Forward(feats), y) + feats.Square().Mean() * 0.01f).Backward();
                opt.Step();
            }
            return ps.SelectMany(p => p.ToArray()).ToArray();
        }
        var clean = Train();
        Assert.DoesNotContain(clean, float.IsNaN);
        BufferPool.PoisonForTesting = true;
        try { Assert.Equal(clean, Train()); }
        finally { BufferPool.PoisonForTesting = false; }
    }

    [Fact]
    public void Convolution_training_gives_identical_results_with_a_warm_pool()
    {
        float[] Step()
        {
            var m = new Sequential(new Conv2d(1, 4, 3, 1, 1, rng: new NnRng(1)), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 8, 3, 1, 1, rng: new NnRng(2)), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2));
            var x = Tensor.Uniform(new NnRng(3), -1f, 1f, 16, 1, 64, 90);
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
