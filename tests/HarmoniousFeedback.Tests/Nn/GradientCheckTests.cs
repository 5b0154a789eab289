using HarmoniousFeedback.Nn;
using Xunit;
using static HarmoniousFeedback.Tests.Nn.GradCheck;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>Autograd vs finite differences for every differentiable op of the engine.</summary>
public sealed class GradientCheckTests
{
    [Fact] public void AddBroadcast() => Check(a => a[0] + a[1], [Rand(1, 2, 3, 4), Rand(2, 3, 1)]);
    [Fact] public void SubBroadcast() => Check(a => a[0] - a[1], [Rand(1, 2, 3), Rand(2, 3)]);
    [Fact] public void MulBroadcast() => Check(a => a[0] * a[1], [Rand(1, 4, 1, 3), Rand(2, 5, 1)]);
    [Fact] public void DivBroadcast() => Check(a => a[0] / (a[1] + 3f), [Rand(1, 2, 3), Rand(2, 1, 3)]);
    [Fact] public void ScalarOps() => Check(a => (2f - a[0] * 3f) / 4f + 1f, [Rand(1, 5)]);
    [Fact] public void ExpLogSqrt() => Check(a => (a[0] + 2f).Log() + a[0].Exp() + (a[0] + 1.5f).Sqrt(), [Rand(3, 6)]);
    [Fact] public void PowSquare() => Check(a => (a[0] + 2f).Pow(1.7f) + a[0].Square(), [Rand(3, 6)]);
    [Fact] public void AbsAwayFromZero() => Check(a => (a[0] * 2f + 0.5f * Sign(a[0])).Abs(), [Rand(4, 7)]);
    private static Tensor Sign(Tensor t) => new(t.Data.ToArray().Select(v => (float)Math.Sign(v)).ToArray(), t.Shape.ToArray());
    [Fact] public void TanhSigmoid() => Check(a => a[0].Tanh() * a[0].Sigmoid(), [Rand(5, 8)]);
    [Fact] public void Gelu() => Check(a => a[0].Gelu() + a[0].Gelu(tanhApproximation: true), [Rand(6, 8)]);
    [Fact] public void SoftmaxDims() => Check(a => a[0].Softmax(0) + a[0].Softmax(1) + a[0].Softmax(-1), [Rand(7, 3, 4, 5)]);
    [Fact] public void LogSoftmaxDims() => Check(a => a[0].LogSoftmax(1) + a[0].LogSoftmax(-1), [Rand(8, 3, 4, 5)]);
    [Fact] public void SumMeanDims() => Check(a => a[0].Sum(1, keepDim: true) * a[0].Mean(2, keepDim: true) + a[0].Sum(), [Rand(9, 2, 3, 4)]);
    // values spaced 0.1 apart (a shuffled ramp) so a ±h perturbation never changes the arg-max
    [Fact] public void MaxDim() => Check(a => a[0].Max(1), [new Tensor(Enumerable.Range(0, 30).OrderBy(i => (i * 17) % 30).Select(i => i * 0.1f).ToArray(), 3, 5, 2)]);
    [Fact] public void ReshapePermuteTranspose() => Check(a => a[0].Reshape(2, 12).Reshape(2, 3, 4).Permute(2, 0, 1).Transpose(0, 2) * 2f, [Rand(11, 6, 4)]);
    [Fact] public void NarrowSelect() => Check(a => a[0].Narrow(1, 1, 2) + a[0].Select(1, 0).Unsqueeze(1), [Rand(12, 2, 4, 3)]);
    [Fact] public void ConcatStack() => Check(a => Tensor.Concat([a[0], a[1]], 1) + Tensor.Stack([a[2], a[2], a[2], a[2], a[2]], 1), [Rand(13, 2, 2), Rand(14, 2, 3), Rand(15, 2)]);
    [Fact] public void MatMul2D() => Check(a => Tensor.MatMul(a[0], a[1]), [Rand(16, 3, 4), Rand(17, 4, 5)]);
    [Fact] public void MatMulNdShared() => Check(a => Tensor.MatMul(a[0], a[1]), [Rand(18, 2, 3, 4), Rand(19, 4, 5)]);
    [Fact] public void MatMulSharedTransB() => Check(a => Tensor.BatchMatMul(a[0], a[1], false, true), [Rand(20, 2, 3, 4), Rand(21, 5, 4)]);
    [Fact]
    public void BatchedMatMulAllTransposes()
    {
        foreach (var ta in new[] { false, true })
            foreach (var tb in new[] { false, true })
                Check(a => Tensor.BatchMatMul(a[0], a[1], ta, tb), [Rand(22, 2, ta ? 4 : 3, ta ? 3 : 4), Rand(23, 2, tb ? 5 : 4, tb ? 4 : 5)]);
    }
    [Fact]
    public void MaskedFill()
    {
        var mask = new Tensor([1, 0, 0, 1, 0, 1], 2, 1, 3);
        Check(a => a[0].MaskedFill(mask, -5f) * a[0], [Rand(24, 2, 4, 3)]);
    }
    [Fact] public void IndexSelectRows() => Check(a => a[0].IndexSelectRows(new long[] { 2, 0, 2, 1 }, [2, 2]), [Rand(25, 3, 4)]);
    [Fact] public void LayerNorm() => Check(a => F.LayerNorm(a[0], a[1], a[2]), [Rand(26, 3, 6), Rand(27, 6), Rand(28, 6)]);
    [Fact]
    public void BatchNormReluTrain() =>
        Check(a => F.BatchNorm(a[0], Tensor.Zeros(3), Tensor.Ones(3), a[1], a[2], training: true, relu: true), [Rand(32, 4, 3, 5), Rand(33, 3), Rand(34, 3)]);
    // odd height and width (the last row/column belongs to no window), distinct values so ±h never moves a maximum
    [Fact]
    public void MaxPool2x2OddSize() => Check(a => F.MaxPool2d(a[0], (2, 2), (2, 2), (0, 0)),
        [new Tensor(Enumerable.Range(0, 2 * 5 * 7).OrderBy(i => (i * 31) % 70).Select(i => i * 0.05f - 1.5f).ToArray(), 1, 2, 5, 7)]);
    [Fact]
    public void BatchNormReluMaxPool2x2Train() =>
        Check(a => F.BatchNormReluMaxPool2x2(a[0], Tensor.Zeros(2), Tensor.Ones(2), a[1], a[2], training: true),
            [new Tensor(Enumerable.Range(0, 3 * 2 * 4 * 5).OrderBy(i => (i * 37) % 120).Select(i => i * 0.05f - 2.9f).ToArray(), 3, 2, 4, 5), Rand(35, 2), Rand(36, 2)]);
    [Fact]
    public void BatchNormTrain()
    {
        Check(a => F.BatchNorm(a[0], Tensor.Zeros(3), Tensor.Ones(3), a[1], a[2], training: true), [Rand(29, 4, 3, 5), Rand(30, 3), Rand(31, 3)]);
    }
    [Fact]
    public void CrossEntropyWeightedSmoothed()
    {
        var w = new Tensor([0.5f, 1f, 2f, 1.5f], 4);
        Check(a => F.CrossEntropy(a[0], new long[] { 0, 3, 2, 2, 1 }, w, 0.2f), [Rand(32, 5, 4)]);
    }
    [Fact] public void RegressionLosses() => Check(a => F.HuberLoss(a[0] * 3f, a[1]) + F.MseLoss(a[0], a[1]), [Rand(33, 4, 3), Rand(34, 4, 3)]);
    [Fact] public void L2PenaltyAndWeightedSum() => Check(a => F.WeightedSum((F.L2Penalty([a[0], a[1]], 0.3f), 2f), (F.MseLoss(a[0], Tensor.Zeros(2, 2)), 0.5f)), [Rand(35, 2, 2), Rand(36, 3)]);

    [Fact] public void Conv2dStridePad() => Check(a => F.Conv2d(a[0], a[1], a[2], (2, 1), (1, 2)), [Rand(40, 2, 2, 5, 6), Rand(41, 3, 2, 3, 2), Rand(42, 3)]);
    [Fact] public void Conv1d() => Check(a => F.Conv1d(a[0], a[1], a[2], 2, 1), [Rand(43, 2, 3, 7), Rand(44, 2, 3, 3), Rand(45, 2)]);
    // distinct, well-separated values so no ±h perturbation changes a window's maximum
    [Fact] public void MaxPoolPadded() => Check(a => F.MaxPool2d(a[0], (3, 3), (2, 2), (1, 1)), [new Tensor(Enumerable.Range(0, 2 * 5 * 5).OrderBy(i => (i * 23) % 50).Select(i => i * 0.05f).ToArray(), 1, 2, 5, 5)]);
    [Fact] public void AvgPool() => Check(a => F.AvgPool2d(a[0], (2, 2), (1, 2), (1, 0)), [Rand(46, 2, 1, 4, 5)]);
    [Fact] public void AdaptiveAvgPool() => Check(a => F.AdaptiveAvgPool2d(a[0], (2, 3)), [Rand(47, 1, 2, 5, 7)]);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void LstmLayerFused(bool reverse, bool withLengths)
    {
        int[]? lengths = withLengths ? [3, 1, 4] : null;
        Check(a => F.LstmLayer(a[0], a[1], a[2], a[3], a[4], a[5], a[6], reverse, lengths),
            [Rand(50, 4, 3, 2), Rand(51, 3, 3), Rand(52, 3, 3), Rand(53, 12, 2), Rand(54, 12, 3), Rand(55, 12), Rand(56, 12)]);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void GruLayerFused(bool reverse, bool withLengths)
    {
        int[]? lengths = withLengths ? [2, 4, 1] : null;
        Check(a => F.GruLayer(a[0], a[1], a[2], a[3], a[4], a[5], reverse, lengths),
            [Rand(57, 4, 3, 2), Rand(58, 3, 3), Rand(59, 9, 2), Rand(60, 9, 3), Rand(61, 9), Rand(62, 9)]);
    }

    [Fact]
    public void LstmModuleBidirectionalTwoLayersWithLengths()
    {
        var m = new LSTM(2, 3, numLayers: 2, batchFirst: true, bidirectional: true, rng: new Random(3));
        Check(a => { var (y, hn, cn) = m.Forward(a[0], lengths: [4, 2]); return Tensor.Concat([y.Reshape(-1), hn.Reshape(-1), cn.Reshape(-1)], 0); }, [Rand(63, 2, 4, 2)]);
    }

    [Fact]
    public void AdditiveAttentionMasked()
    {
        var m = new AdditiveAttentionPooling(3, 4, new Random(5));
        Check(a => { var (c, w) = m.Forward(a[0], [3, 1]); return Tensor.Concat([c.Reshape(-1), w.Reshape(-1)], 0); }, [Rand(70, 2, 3, 3)]);
    }

    [Fact]
    public void ScaledDotProductAttentionMasks()
    {
        var kpm = new Tensor([0, 0, 1, 0, 1, 1], 2, 3);
        var causal = new Tensor([0, 1, 1, 0, 0, 1], 2, 3);
        Check(a => F.ScaledDotProductAttention(a[0], a[1], a[2], kpm, causal).Output, [Rand(71, 2, 2, 4), Rand(72, 2, 3, 4), Rand(73, 2, 3, 2)]);
    }

    [Fact]
    public void MultiheadAttentionCrossAttention()
    {
        var m = new MultiheadAttention(4, 2, new Random(6));
        var kpm = new Tensor([0, 0, 1, 0, 0, 0], 2, 3);
        Check(a => m.Forward(a[0], a[1], a[1], kpm).Output, [Rand(74, 2, 2, 4), Rand(75, 2, 3, 4)]);
    }

    [Fact]
    public void GcnBatchedAndAdjacencyGradient()
    {
        var m = new GCNLayer(3, 2, rng: new Random(7));
        // adjacency kept positive (0.5 + U(0,1)) so the degree stays well away from 0
        var adj = Tensor.Uniform(new Random(76), 0.5f, 1.5f, 4, 4);
        Check(a => m.Forward(a[0], a[1]), [Rand(77, 2, 4, 3), adj]);
    }
}
