using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

public sealed class TensorTests
{
    [Fact]
    public void Gradients_accumulate_across_backward_calls_until_zeroed()
    {
        var x = new Tensor([1f, 2f], 2).RequiresGrad_();
        (x * x).Sum().Backward();
        (x * 3f).Sum().Backward();
        Assert.Equal([5f, 7f], x.Grad!.ToArray());  // 2x + 3
        x.ZeroGrad();
        Assert.Equal([0f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void NoGrad_and_Detach_stop_recording()
    {
        var x = Tensor.Ones(3).RequiresGrad_();
        using (Tensor.NoGrad())
        {
            Assert.False((x * 2f).RequiresGrad);
            Assert.False(Tensor.IsGradEnabled);
        }
        Assert.True(Tensor.IsGradEnabled);
        Assert.True((x * 2f).RequiresGrad);
        var d = (x * 2f).Detach();
        Assert.False(d.RequiresGrad);
        Assert.True(d.IsLeaf);
    }

    [Fact]
    public void Shared_subexpression_gets_both_paths()
    {
        var x = new Tensor([3f], 1).RequiresGrad_();
        var y = x * 2f;
        (y * y + y).Sum().Backward();  // d/dx (4x² + 2x) = 8x + 2
        Assert.Equal(26f, x.Grad!.Item());
    }

    [Fact]
    public void Broadcasting_follows_NumPy_rules()
    {
        var a = Tensor.Ones(2, 1, 3);
        var b = new Tensor([1f, 2f, 3f, 4f], 4, 1);
        var c = a + b;
        Assert.Equal([2, 4, 3], c.Shape);
        Assert.Equal(5f, c[1, 3, 2]);
        var ex = Assert.Throws<ShapeMismatchException>(() => Tensor.Ones(2, 3) + Tensor.Ones(4));
        Assert.Contains("[2, 3] and [4]", ex.Message);
    }

    [Fact]
    public void Shape_errors_name_the_shapes()
    {
        Assert.Contains("[2, 3] @ [4, 5]", Assert.Throws<ShapeMismatchException>(() => Tensor.MatMul(Tensor.Ones(2, 3), Tensor.Ones(4, 5))).Message);
        Assert.Contains("got input of shape [2, 5]", Assert.Throws<ShapeMismatchException>(() => new Linear(4, 2).Forward(Tensor.Ones(2, 5))).Message);
        Assert.Contains("cannot reshape [2, 3]", Assert.Throws<ShapeMismatchException>(() => Tensor.Ones(2, 3).Reshape(4, 2)).Message);
        Assert.Contains("got [3, 7, 4]", Assert.Throws<ShapeMismatchException>(() => new LSTM(5, 3).Forward(Tensor.Ones(3, 7, 4))).Message);
        Assert.Contains("expects rank 4", Assert.Throws<ShapeMismatchException>(() => new BatchNorm2d(3).Forward(Tensor.Ones(2, 3, 4))).Message);
    }

    [Fact]
    public void StateDict_uses_PyTorch_names()
    {
        var m = new LSTM(3, 4, numLayers: 2, bidirectional: true);
        var keys = m.StateDict().Keys.ToList();
        Assert.Contains("weight_ih_l1_reverse", keys);
        Assert.Equal([4 * 4, 2 * 4], m.StateDict()["weight_ih_l1"].Shape);
        var mha = new MultiheadAttention(8, 2);
        Assert.Equal(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"], mha.StateDict().Keys);
        var bn = new BatchNorm1d(3);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], bn.StateDict().Keys);
    }

    [Fact]
    public void Embedding_padding_row_gets_no_gradient()
    {
        var e = new Embedding(4, 2, paddingIdx: 0, rng: new NnRng(1));
        e.Forward(new long[] { 0, 1, 0, 1 }, 4).Sum().Backward();
        Assert.Equal([0f, 0f, 2f, 2f, 0f, 0f, 0f, 0f], e.Weight.Grad!.ToArray());
    }

    [Fact]
    public void Dropout_is_seeded_and_off_in_eval()
    {
        var x = Tensor.Ones(1000);
        var a = new Dropout(0.3f, seed: 5).Forward(x).ToArray();
        var b = new Dropout(0.3f, seed: 5).Forward(x).ToArray();
        Assert.Equal(a, b);
        double kept = a.Count(v => v != 0) / 1000.0;
        Assert.InRange(kept, 0.65, 0.75);
        Assert.All(a.Where(v => v != 0), v => Assert.Equal(1f / 0.7f, v, 6));
        var d = new Dropout(0.3f); d.Eval();
        Assert.Same(x, d.Forward(x));
    }

    [Fact]
    public void Modality_dropout_zeroes_whole_rows_unscaled_is_seeded_passes_gradients_of_kept_rows_and_is_off_in_eval()
    {
        var x = Tensor.Ones(400, 3).RequiresGrad_();
        var y = new ModalityDropout(0.5f, seed: 7).Forward(x);
        Assert.Equal(y.ToArray(), new ModalityDropout(0.5f, seed: 7).Forward(Tensor.Ones(400, 3)).ToArray());
        var rows = Enumerable.Range(0, 400).Select(b => y.ToArray().AsSpan(3 * b, 3).ToArray()).ToArray();
        Assert.All(rows, r => Assert.True(r.All(v => v == 0f) || r.All(v => v == 1f), string.Join(",", r)));
        Assert.InRange(rows.Count(r => r[0] == 0f) / 400.0, 0.42, 0.58);
        (y * 2f).Sum().Backward();
        var g = x.Grad!.ToArray();
        for (int b = 0; b < 400; b++) Assert.Equal(rows[b][0] * 2f, g[3 * b]);
        var d = new ModalityDropout(0.9f); d.Eval();
        Assert.Same(x, d.Forward(x));
        Assert.Throws<ShapeMismatchException>(() => new ModalityDropout(0.5f).Forward(Tensor.Ones(2, 3, 4)));
    }

    [Fact]
    public void Cosine_annealing_and_reduce_on_plateau_follow_their_formulas()
    {
        var p = Tensor.Zeros(1).RequiresGrad_();
        var opt = new SGD([p], 1.0);
        var cos = new CosineAnnealingLR(opt, tMax: 4, etaMin: 0.2);
        for (int i = 0; i < 2; i++) cos.Step();
        Assert.Equal(0.6, opt.Lr, 12);  // 0.2 + 0.8·(1 + cos(π/2))/2
        for (int i = 0; i < 2; i++) cos.Step();
        Assert.Equal(0.2, opt.Lr, 12);
        var opt2 = new SGD([p], 1.0);
        var plateau = new ReduceLROnPlateau(opt2, factor: 0.5, patience: 1);
        foreach (var m in new[] { 1.0, 0.9, 0.95, 0.95, 0.95, 0.95 }) plateau.Step(m);
        Assert.Equal(0.25, opt2.Lr, 12);  // bad epochs 3–4 → halve, 5–6 → halve
    }
}
