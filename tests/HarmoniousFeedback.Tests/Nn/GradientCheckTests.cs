using HarmoniousFeedback.Nn;
using Xunit;
using static HarmoniousFeedback.Tests.Nn.GradCheck;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>Autograd vs finite differences for every differentiable op of the engine.</summary>
public sealed class GradientCheckTests
{
    [Fact] public void Broadcast_add_gradient_matches_finite_differences() => Check(a => a[0] + a[1], [Rand(1, 2, 3, 4), Rand(2, 3, 1)]);
    [Fact] public void Broadcast_sub_gradient_matches_finite_differences() => Check(a => a[0] - a[1], [Rand(1, 2, 3), Rand(2, 3)]);
    [Fact] public void Broadcast_mul_gradient_matches_finite_differences() => Check(a => a[0] * a[1], [Rand(1, 4, 1, 3), Rand(2, 5, 1)]);
    [Fact] public void Broadcast_div_gradient_matches_finite_differences() => Check(a => a[0] / (a[1] + 3f), [Rand(1, 2, 3), Rand(2, 1, 3)]);
    [Fact] public void Scalar_ops_gradient_matches_finite_differences() => Check(a => (2f - a[0] * 3f) / 4f + 1f, [Rand(1, 5)]);
    [Fact] public void Exp_log_sqrt_gradient_matches_finite_differences() => Check(a => (a[0] + 2f).Log() + a[0].Exp() + (a[0] + 1.5f).Sqrt(), [Rand(3, 6)]);
    [Fact] public void Pow_and_square_gradient_matches_finite_differences() => Check(a => (a[0] + 2f).Pow(1.7f) + a[0].Square(), [Rand(3, 6)]);
    [Fact] public void Abs_away_from_zero_gradient_matches_finite_differences() => Check(a => (a[0] * 2f + 0.5f * Sign(a[0])).Abs(), [Rand(4, 7)]);
    private static Tensor Sign(Tensor t) => new(t.Data.ToArray().Select(v => (float)Math.Sign(v)).ToArray(), t.Shape.ToArray());
    [Fact] public void Tanh_and_sigmoid_gradient_matches_finite_differences() => Check(a => a[0].Tanh() * a[0].Sigmoid(), [Rand(5, 8)]);
    [Fact] public void Gelu_exact_and_tanh_gradient_matches_finite_differences() => Check(a => a[0].Gelu() + a[0].Gelu(tanhApproximation: true), [Rand(6, 8)]);
    [Fact] public void Softmax_over_each_dim_gradient_matches_finite_differences() => Check(a => a[0].Softmax(0) + a[0].Softmax(1) + a[0].Softmax(-1), [Rand(7, 3, 4, 5)]);
    [Fact] public void LogSoftmax_over_each_dim_gradient_matches_finite_differences() => Check(a => a[0].LogSoftmax(1) + a[0].LogSoftmax(-1), [Rand(8, 3, 4, 5)]);
    [Fact] public void Sum_and_mean_over_dims_gradient_matches_finite_differences() => Check(a => a[0].Sum(1, keepDim: true) * a[0].Mean(2, keepDim: true) + a[0].Sum(), [Rand(9, 2, 3, 4)]);
    // values spaced 0.1 apart (a shuffled ramp) so a ±h perturbation never changes the arg-max
    [Fact] public void Max_over_a_dim_gradient_matches_finite_differences() => Check(a => a[0].Max(1), [new Tensor(Enumerable.Range(0, 30).OrderBy(i => (i * 17) % 30).Select(i => i * 0.1f).ToArray(), 3, 5, 2)]);
    [Fact] public void Reshape_permute_and_transpose_gradient_matches_finite_differences() => Check(a => a[0].Reshape(2, 12).Reshape(2, 3, 4).Permute(2, 0, 1).Transpose(0, 2) * 2f, [Rand(11, 6, 4)]);
    [Fact] public void Narrow_and_select_gradient_matches_finite_differences() => Check(a => a[0].Narrow(1, 1, 2) + a[0].Select(1, 0).Unsqueeze(1), [Rand(12, 2, 4, 3)]);
    [Fact] public void Concat_and_stack_gradient_matches_finite_differences() => Check(a => Tensor.Concat([a[0], a[1]], 1) + Tensor.Stack([a[2], a[2], a[2], a[2], a[2]], 1), [Rand(13, 2, 2), Rand(14, 2, 3), Rand(15, 2)]);
    [Fact] public void MatMul_of_matrices_gradient_matches_finite_differences() => Check(a => Tensor.MatMul(a[0], a[1]), [Rand(16, 3, 4), Rand(17, 4, 5)]);
    [Fact] public void MatMul_of_a_batch_by_a_shared_matrix_gradient_matches_finite_differences() => Check(a => Tensor.MatMul(a[0], a[1]), [Rand(18, 2, 3, 4), Rand(19, 4, 5)]);
    [Fact] public void BatchMatMul_by_a_shared_transposed_matrix_gradient_matches_finite_differences() => Check(a => Tensor.BatchMatMul(a[0], a[1], false, true), [Rand(20, 2, 3, 4), Rand(21, 5, 4)]);
    [Fact]
    public void BatchMatMul_with_every_transpose_gradient_matches_finite_differences()
    {
        foreach (var ta in new[] { false, true })
            foreach (var tb in new[] { false, true })
                Check(a => Tensor.BatchMatMul(a[0], a[1], ta, tb), [Rand(22, 2, ta ? 4 : 3, ta ? 3 : 4), Rand(23, 2, tb ? 5 : 4, tb ? 4 : 5)]);
    }
    [Fact]
    public void MaskedFill_gradient_matches_finite_differences()
    {
        var mask = new Tensor([1, 0, 0, 1, 0, 1], 2, 1, 3);
        Check(a => a[0].MaskedFill(mask, -5f) * a[0], [Rand(24, 2, 4, 3)]);
    }
    [Fact] public void IndexSelectRows_gradient_matches_finite_differences() => Check(a => a[0].IndexSelectRows(new long[] { 2, 0, 2, 1 }, [2, 2]), [Rand(25, 3, 4)]);
    [Fact] public void LayerNorm_gradient_matches_finite_differences() => Check(a => F.LayerNorm(a[0], a[1], a[2]), [Rand(26, 3, 6), Rand(27, 6), Rand(28, 6)]);
    [Fact]
    public void BatchNorm_with_relu_in_training_gradient_matches_finite_differences()
    {
        Tensor[] inputs = [Rand(67, 4, 3, 5), Rand(68, 3), Rand(69, 3)]; // the first triple s, s+1, s+2 (s = 40, 43, …) meeting the condition below
        // Central differences with h = 1e-2 are only valid away from ReLU's kink: a ±h step of x, weight or bias moves a
        // pre-activation by at most ~0.03 here (|x̂| ≤ 2.5, |w| ≤ 1, σ(x) ≈ 0.58), so the data must keep every one > 0.05 from 0.
        using (Tensor.NoGrad())
        {
            var pre = F.BatchNorm(inputs[0], Tensor.Zeros(3), Tensor.Ones(3), inputs[1], inputs[2], training: true).ToArray();
            Assert.True(pre.All(v => MathF.Abs(v) > 0.05f), $"test data has a pre-activation within 0.05 of the ReLU kink: min |v| = {pre.Min(v => MathF.Abs(v))}");
        }
        Check(a => F.BatchNorm(a[0], Tensor.Zeros(3), Tensor.Ones(3), a[1], a[2], training: true, relu: true), inputs);
    }
    // odd height and width (the last row/column belongs to no window), distinct values so ±h never moves a maximum
    [Fact]
    public void MaxPool_2x2_on_odd_sizes_gradient_matches_finite_differences() => Check(a => F.MaxPool2d(a[0], (2, 2), (2, 2), (0, 0)),
        [new Tensor(Enumerable.Range(0, 2 * 5 * 7).OrderBy(i => (i * 31) % 70).Select(i => i * 0.05f - 1.5f).ToArray(), 1, 2, 5, 7)]);
    [Fact]
    public void Fused_BatchNorm_relu_max_pool_2x2_in_training_gradient_matches_finite_differences() =>
        Check(a => F.BatchNormReluMaxPool2x2(a[0], Tensor.Zeros(2), Tensor.Ones(2), a[1], a[2], training: true),
            [new Tensor(Enumerable.Range(0, 3 * 2 * 4 * 5).OrderBy(i => (i * 37) % 120).Select(i => i * 0.05f - 2.9f).ToArray(), 3, 2, 4, 5), Rand(35, 2), Rand(36, 2)]);
    [Fact]
    public void BatchNorm_in_training_gradient_matches_finite_differences()
    {
        Check(a => F.BatchNorm(a[0], Tensor.Zeros(3), Tensor.Ones(3), a[1], a[2], training: true), [Rand(29, 4, 3, 5), Rand(30, 3), Rand(31, 3)]);
    }
    [Fact]
    public void Weighted_smoothed_CrossEntropy_gradient_matches_finite_differences()
    {
        var w = new Tensor([0.5f, 1f, 2f, 1.5f], 4);
        Check(a => F.CrossEntropy(a[0], new long[] { 0, 3, 2, 2, 1 }, w, 0.2f), [Rand(32, 5, 4)]);
    }
    [Fact] public void Huber_and_mse_losses_gradient_matches_finite_differences() => Check(a => F.HuberLoss(a[0] * 3f, a[1]) + F.MseLoss(a[0], a[1]), [Rand(33, 4, 3), Rand(34, 4, 3)]);
    [Fact] public void L2Penalty_and_WeightedSum_gradient_matches_finite_differences() => Check(a => F.WeightedSum((F.L2Penalty([a[0], a[1]], 0.3f), 2f), (F.MseLoss(a[0], Tensor.Zeros(2, 2)), 0.5f)), [Rand(35, 2, 2), Rand(36, 3)]);

    [Fact] public void Conv2d_with_stride_and_padding_gradient_matches_finite_differences() => Check(a => F.Conv2d(a[0], a[1], a[2], (2, 1), (1, 2)), [Rand(40, 2, 2, 5, 6), Rand(41, 3, 2, 3, 2), Rand(42, 3)]);
    [Fact] public void Conv1d_gradient_matches_finite_differences() => Check(a => F.Conv1d(a[0], a[1], a[2], 2, 1), [Rand(43, 2, 3, 7), Rand(44, 2, 3, 3), Rand(45, 2)]);
    // distinct, well-separated values so no ±h perturbation changes a window's maximum
    [Fact] public void Padded_max_pool_gradient_matches_finite_differences() => Check(a => F.MaxPool2d(a[0], (3, 3), (2, 2), (1, 1)), [new Tensor(Enumerable.Range(0, 2 * 5 * 5).OrderBy(i => (i * 23) % 50).Select(i => i * 0.05f).ToArray(), 1, 2, 5, 5)]);
    [Fact] public void AvgPool_gradient_matches_finite_differences() => Check(a => F.AvgPool2d(a[0], (2, 2), (1, 2), (1, 0)), [Rand(46, 2, 1, 4, 5)]);
    [Fact] public void AdaptiveAvgPool_gradient_matches_finite_differences() => Check(a => F.AdaptiveAvgPool2d(a[0], (2, 3)), [Rand(47, 1, 2, 5, 7)]);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Fused_lstm_layer_gradient_matches_finite_differences(bool reverse, bool withLengths)
    {
        int[]? lengths = withLengths ? [3, 1, 4] : null;
        Check(a => F.LstmLayer(a[0], a[1], a[2], a[3], a[4], a[5], a[6], reverse, lengths),
            [Rand(50, 4, 3, 2), Rand(51, 3, 3), Rand(52, 3, 3), Rand(53, 12, 2), Rand(54, 12, 3), Rand(55, 12), Rand(56, 12)]);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Fused_gru_layer_gradient_matches_finite_differences(bool reverse, bool withLengths)
    {
        int[]? lengths = withLengths ? [2, 4, 1] : null;
        Check(a => F.GruLayer(a[0], a[1], a[2], a[3], a[4], a[5], reverse, lengths),
            [Rand(57, 4, 3, 2), Rand(58, 3, 3), Rand(59, 9, 2), Rand(60, 9, 3), Rand(61, 9), Rand(62, 9)]);
    }

    [Fact]
    public void Bidirectional_two_layer_LSTM_with_lengths_gradient_matches_finite_differences()
    {
        var m = new LSTM(2, 3, numLayers: 2, batchFirst: true, bidirectional: true, rng: new NnRng(3));
        Check(a => { var (y, hn, cn) = m.Forward(a[0], lengths: [4, 2]); return Tensor.Concat([y.Reshape(-1), hn.Reshape(-1), cn.Reshape(-1)], 0); }, [Rand(63, 2, 4, 2)]);
    }

    [Fact]
    public void Masked_additive_attention_gradient_matches_finite_differences()
    {
        var m = new AdditiveAttentionPooling(3, 4, new NnRng(5));
        Check(a => { var (c, w) = m.Forward(a[0], [3, 1]); return Tensor.Concat([c.Reshape(-1), w.Reshape(-1)], 0); }, [Rand(70, 2, 3, 3)]);
    }

    [Fact]
    public void ScaledDotProductAttention_with_masks_gradient_matches_finite_differences()
    {
        var kpm = new Tensor([0, 0, 1, 0, 1, 1], 2, 3);
        var causal = new Tensor([0, 1, 1, 0, 0, 1], 2, 3);
        Check(a => F.ScaledDotProductAttention(a[0], a[1], a[2], kpm, causal).Output, [Rand(71, 2, 2, 4), Rand(72, 2, 3, 4), Rand(73, 2, 3, 2)]);
    }

    [Fact]
    public void Multihead_cross_attention_gradient_matches_finite_differences()
    {
        var m = new MultiheadAttention(4, 2, new NnRng(6));
        var kpm = new Tensor([0, 0, 1, 0, 0, 0], 2, 3);
        Check(a => m.Forward(a[0], a[1], a[1], kpm).Output, [Rand(74, 2, 2, 4), Rand(75, 2, 3, 4)]);
    }

    [Fact]
    public void Batched_GCN_including_the_adjacency_gradient_matches_finite_differences()
    {
        var m = new GCNLayer(3, 2, rng: new NnRng(7));
        // adjacency kept positive (0.5 + U(0,1)) so the degree stays well away from 0
        var adj = Tensor.Uniform(new NnRng(76), 0.5f, 1.5f, 4, 4);
        Check(a => m.Forward(a[0], a[1]), [Rand(77, 2, 4, 3), adj]);
    }
}
