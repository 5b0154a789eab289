using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

public sealed class FoldedConvStackTests
{
    /// <summary>n blocks Conv2d(3×3, padding 1) → BatchNorm2d → ReLU → MaxPool2d(2) in eval mode with non-trivial running
    /// statistics and affine parameters (a fresh norm has μ = 0, σ² = 1, γ = 1, β = 0, which would make the fold trivial).</summary>
    internal static Sequential Encoder(int seed, params int[] channels)
    {
        var rng = new NnRng(seed);
        var layers = new List<UnaryModule>();
        int cin = 1;
        foreach (var c in channels)
        {
            var norm = new BatchNorm2d(c);
            Randomise(norm, rng);
            layers.AddRange([new Conv2d(cin, c, 3, 1, 1, rng: rng), norm, new ReLU(), new MaxPool2d(2)]);
            cin = c;
        }
        var s = new Sequential([.. layers]);
        s.Eval();
        return s;
    }

    /// <summary>μ ~ U(−0.3, 0.3), σ² ~ U(0.2, 2), γ ~ U(0.5, 1.5), β ~ U(−0.3, 0.3).</summary>
    internal static void Randomise(BatchNorm norm, NnRng rng)
    {
        int c = norm.NumFeatures;
        Tensor.Uniform(rng, -0.3f, 0.3f, c).Data.CopyTo(norm.RunningMean.Data);
        Tensor.Uniform(rng, 0.2f, 2f, c).Data.CopyTo(norm.RunningVar.Data);
        Tensor.Uniform(rng, 0.5f, 1.5f, c).Data.CopyTo(norm.Weight.Data);
        Tensor.Uniform(rng, -0.3f, 0.3f, c).Data.CopyTo(norm.Bias.Data);
    }

    private static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }

    [Theory]
    [InlineData(20, 37)]
    [InlineData(33, 18)]
    public void Folded_stack_equals_the_eval_mode_sequential_to_float_rounding(int h, int w)
    {
        var seq = Encoder(1, 16, 12, 5);
        var x = Tensor.Uniform(new NnRng(2), 0f, 1f, 2, 1, h, w);
        Tensor expected;
        using (Tensor.NoGrad()) expected = seq.Forward(x);
        var stack = new FoldedConvStack(seq);
        var (c, oh, ow) = stack.OutputShape(h, w);
        Assert.Equal(expected.Shape, [2, c, oh, ow]);
        var y = new float[expected.Count];
        stack.Forward(x.Data, 2, h, w, y);
        // folding rounds W·s and (b − μ)·s + β once instead of scaling every output: differences of a few float ulps
        // (ε = 1.2e-7 relative) per layer on activations of order 1; 1e-5 leaves room for three layers
        Assert.InRange(MaxAbsDiff(y, expected.Data), 0f, 1e-5f);
    }

    [Fact]
    public void Folded_block_weights_and_bias_follow_the_batch_norm_folding_formula()
    {
        var seq = Encoder(3, 4);
        var conv = (Conv2d)seq.Layers[0];
        var norm = (BatchNorm2d)seq.Layers[1];
        var block = new FoldedConvBlock(conv, norm);
        for (int o = 0; o < 4; o++)
        {
            double s = norm.Weight.Data[o] / Math.Sqrt(norm.RunningVar.Data[o] + 1e-5);
            // w' = w·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β, each rounded once to float (relative 2⁻²⁴)
            Assert.Equal((conv.Bias!.Data[o] - norm.RunningMean.Data[o]) * s + norm.Bias.Data[o], block.Bias[o], 1e-6);
            for (int k = 0; k < 9; k++) Assert.Equal(conv.Weight.Data[o * 9 + k] * s, block.Weight[o * 9 + k], 1e-6);
        }
    }

    [Theory]
    [InlineData(1, 16, 21, 50)]
    [InlineData(16, 5, 9, 30)]
    [InlineData(7, 9, 12, 13)]
    public void Folded_block_vector_kernel_agrees_with_its_scalar_reference(int cin, int cout, int h, int w)
    {
        var rng = new NnRng(5);
        var conv = new Conv2d(cin, cout, 3, 1, 1, rng: rng);
        var norm = new BatchNorm2d(cout);
        Randomise(norm, rng);
        var block = new FoldedConvBlock(conv, norm);
        var x = Tensor.Uniform(rng, -1f, 1f, cin, h, w);
        var (ph, pw) = block.OutputSize(h, w);
        var fast = new float[cout * ph * pw];
        var reference = new float[fast.Length];
        FoldedConvBlock.ForceDirect = true;   // the direct implicit GEMM (the Winograd path has its own tests)
        try
        {
            block.Forward(x.Data, h, w, fast);
            FoldedConvBlock.ForceScalar = true;
            block.Forward(x.Data, h, w, reference);
        }
        finally { FoldedConvBlock.ForceScalar = false; FoldedConvBlock.ForceDirect = false; }
        // both form each output as one FMA chain from the bias over channels and taps in order; the vector kernel also adds
        // the padding's zero terms (exact), so they agree to the last bit but for the sign of zero — 1e-6 allows an ulp of slack
        Assert.InRange(MaxAbsDiff(fast, reference), 0f, 1e-6f);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(30)]
    public void Folded_block_gives_bit_identical_outputs_for_every_band_height(int rows)
    {
        var rng = new NnRng(7);
        var conv = new Conv2d(6, 10, 3, 1, 1, rng: rng);
        var norm = new BatchNorm2d(10);
        Randomise(norm, rng);
        var block = new FoldedConvBlock(conv, norm);
        var x = Tensor.Uniform(rng, -1f, 1f, 6, 23, 41);
        var (ph, pw) = block.OutputSize(23, 41);
        var byRule = new float[10 * ph * pw];
        var forced = new float[byRule.Length];
        block.Forward(x.Data, 23, 41, byRule);
        FoldedConvBlock.ForceBandRows = rows;
        try { block.Forward(x.Data, 23, 41, forced); }
        finally { FoldedConvBlock.ForceBandRows = null; }
        Assert.Equal(byRule, forced);
    }

    [Fact]
    public void Folded_stack_gives_the_same_images_on_one_and_on_two_threads()
    {
        var stack = new FoldedConvStack(Encoder(9, 8, 16));
        var x = Tensor.Uniform(new NnRng(10), 0f, 1f, 3, 1, 32, 45);
        var (c, oh, ow) = stack.OutputShape(32, 45);
        var one = new float[3 * c * oh * ow];
        var two = new float[one.Length];
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            stack.Forward(x.Data, 3, 32, 45, one);
            Gemm.MaxThreads = 2;
            stack.Forward(x.Data, 3, 32, 45, two);
        }
        finally { Gemm.MaxThreads = saved; }
        Assert.Equal(one, two);
    }

    [Fact]
    public void Folded_stack_rejects_a_sequential_that_is_not_made_of_conv_blocks()
    {
        var seq = new Sequential(new Conv2d(1, 4, 3, 1, 1), new ReLU(), new BatchNorm2d(4), new MaxPool2d(2));
        Assert.Throws<ShapeMismatchException>(() => new FoldedConvStack(seq));
    }

    [Fact]
    public void Folded_stack_rejects_an_output_span_too_short_for_the_shapes()
    {
        var stack = new FoldedConvStack(Encoder(11, 4));
        var x = new float[16 * 16];
        var ex = Assert.Throws<ShapeMismatchException>(() => stack.Forward(x, 1, 16, 16, new float[10]));
        Assert.Contains("[4, 8, 8]", ex.Message);
    }
}
