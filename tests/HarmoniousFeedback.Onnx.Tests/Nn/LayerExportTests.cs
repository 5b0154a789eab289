using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;
using Xunit;

namespace HarmoniousFeedback.Onnx.Tests.Nn;

/// <summary>Every exportable feed-forward layer, exported with random weights and run in ONNX Runtime on several shapes; tolerance: <see cref="Close"/>.</summary>
public class LayerExportTests
{
    [Fact]
    public void Linear_matches_the_engine_on_2d_input_through_gemm_with_any_batch()
    {
        var m = new Linear(7, 4, rng: new Random(1));
        ExportCheck.Unary(m, ["batch", 7], [[1, 7], [5, 7]]);
    }

    [Fact]
    public void Linear_matches_the_engine_on_3d_input_through_matmul_with_any_batch_and_length()
    {
        var m = new Linear(7, 4, rng: new Random(2));
        ExportCheck.Unary(m, ["batch", "time", 7], [[1, 1, 7], [3, 9, 7]]);
    }

    [Fact]
    public void Linear_without_bias_matches_the_engine()
    {
        var m = new Linear(6, 3, bias: false, rng: new Random(3));
        ExportCheck.Unary(m, ["batch", 6], [[2, 6]]);
    }

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(5, 2, 2)]
    [InlineData(1, 1, 0)]
    public void Conv1d_matches_the_engine_for_kernel_stride_and_padding(int kernel, int stride, int padding)
    {
        var m = new Conv1d(3, 5, kernel, stride, padding, rng: new Random(kernel));
        ExportCheck.Unary(m, ["batch", 3, "length"], [[1, 3, 11], [2, 3, 24]]);
    }

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(3, 2, 1)]
    [InlineData(5, 2, 0)]
    public void Conv2d_matches_the_engine_for_kernel_stride_and_padding(int kernel, int stride, int padding)
    {
        var m = new Conv2d(2, 4, kernel, stride, padding, rng: new Random(kernel + stride));
        ExportCheck.Unary(m, ["batch", 2, 16, "frames"], [[1, 2, 16, 9], [3, 2, 16, 20]]);
    }

    [Fact]
    public void Conv2d_with_rectangular_kernel_and_no_bias_matches_the_engine()
    {
        var m = new Conv2d(1, 3, (3, 1), (1, 2), (1, 0), bias: false, rng: new Random(4));
        ExportCheck.Unary(m, ["batch", 1, "h", "w"], [[2, 1, 6, 7]]);
    }

    [Fact]
    public void BatchNorm1d_uses_the_running_statistics_on_2d_and_3d_input()
    {
        var bn = ExportCheck.Randomize(new BatchNorm1d(5, eps: 1e-3f), 5);
        ExportCheck.Unary(bn, ["batch", 5], [[1, 5], [4, 5]]);
        ExportCheck.Unary(bn, ["batch", 5, "length"], [[2, 5, 7]]);
    }

    [Fact]
    public void BatchNorm2d_uses_the_running_statistics()
    {
        var bn = ExportCheck.Randomize(new BatchNorm2d(3), 6);
        ExportCheck.Unary(bn, ["batch", 3, "h", "w"], [[1, 3, 4, 5], [2, 3, 7, 3]]);
    }

    [Fact]
    public void BatchNorm_in_training_mode_is_exported_as_its_inference_computation()
    {
        var bn = ExportCheck.Randomize(new BatchNorm2d(3), 7);
        bn.Train();
        var exported = OnnxExporter.Export(bn, new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "batch", 3, 4, 4)] });
        Assert.True(bn.Training, "exporting must not change the module's mode");
        using var ort = new Ort(exported);
        var x = Tensor.Randn(new Random(8), 2, 3, 4, 4);
        bn.Eval();
        Tensor expected;
        using (Tensor.NoGrad()) expected = bn.Forward(x);
        Close.Assert(expected, ort.Run(("x", x))["output"], "batch norm exported from training mode");
    }

    public static TheoryData<string, int> Activations => new()
    {
        { "ReLU", 17 }, { "Tanh", 17 }, { "Sigmoid", 17 },
        { "GELU", 17 }, { "GELU-tanh", 17 }, { "GELU", 20 }, { "GELU-tanh", 20 },
        { "Softmax1", 17 }, { "LogSoftmax-1", 17 }, { "Dropout", 17 },
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activation_matches_the_engine_at_the_given_opset(string name, int opset)
    {
        var m = name switch
        {
            "ReLU" => (UnaryModule)new ReLU(),
            "Tanh" => new Tanh(),
            "Sigmoid" => new Sigmoid(),
            "GELU" => new GELU(),
            "GELU-tanh" => new GELU(tanhApproximation: true),
            "Softmax1" => new Softmax(1),
            "LogSoftmax-1" => new LogSoftmax(-1),
            _ => new Dropout(0.5f),
        };
        ExportCheck.Unary(new Sequential(m), ["batch", 6, "time"], [[1, 6, 1], [3, 6, 8]], opset);
    }

    [Fact]
    public void Gelu_uses_the_gelu_op_from_opset_20_and_its_formula_before()
    {
        var ops17 = OnnxGraphBuilder.Export(new GELU(), new OnnxExportOptions { Opset = 17, Inputs = [OnnxValueInfo.Float("x", "n")] }).Nodes.Select(n => n.OpType).ToList();
        var ops20 = OnnxGraphBuilder.Export(new GELU(), new OnnxExportOptions { Opset = 20, Inputs = [OnnxValueInfo.Float("x", "n")] }).Nodes.Select(n => n.OpType).ToList();
        Assert.Contains("Erf", ops17);
        Assert.DoesNotContain("Gelu", ops17);
        Assert.Contains("Gelu", ops20);
    }

    [Fact]
    public void Dropout_writes_no_node()
    {
        var g = OnnxGraphBuilder.Export(new Dropout(0.3f), new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "n")] });
        Assert.Equal(["Identity"], g.Nodes.Select(n => n.OpType));  // only the renaming of the input to the output name
    }

    [Fact]
    public void LayerNorm_matches_the_engine_over_the_last_dim()
    {
        var m = ExportCheck.Randomize(new LayerNorm(9, eps: 1e-4f), 9);
        ExportCheck.Unary(m, ["batch", "time", 9], [[1, 1, 9], [2, 5, 9]]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Flatten_matches_the_engine_from_the_start_dim(int startDim)
    {
        ExportCheck.Unary(new Flatten(startDim), ["batch", 3, 4, 5], [[1, 3, 4, 5], [2, 3, 4, 5]]);
    }

    [Fact]
    public void MaxPool2d_matches_the_engine_with_overlapping_padded_windows_and_odd_sizes()
    {
        ExportCheck.Unary(new MaxPool2d((3, 3), (2, 2), (1, 1)), ["batch", 2, "h", "w"], [[1, 2, 7, 9], [2, 2, 8, 5]]);
        ExportCheck.Unary(new MaxPool2d(2), ["batch", 2, "h", "w"], [[1, 2, 7, 9], [2, 2, 8, 5]]);
    }

    [Fact]
    public void AvgPool2d_counts_padding_as_the_engine_does()
    {
        ExportCheck.Unary(new AvgPool2d((3, 3), (2, 2), (1, 1)), ["batch", 2, "h", "w"], [[1, 2, 7, 9], [2, 2, 6, 4]]);
    }

    [Fact]
    public void AdaptiveAvgPool2d_to_one_cell_is_a_global_average_over_any_input_size()
    {
        ExportCheck.Unary(new AdaptiveAvgPool2d(1), ["batch", 4, "h", "w"], [[1, 4, 3, 5], [2, 4, 16, 37]]);
    }

    [Fact]
    public void AdaptiveAvgPool2d_to_larger_output_exports_when_the_input_divides_evenly()
    {
        ExportCheck.Unary(new AdaptiveAvgPool2d((2, 3)), ["batch", 4, 8, 9], [[1, 4, 8, 9], [2, 4, 8, 9]]);
    }

    [Fact]
    public void AdaptiveAvgPool2d_with_uneven_or_dynamic_bins_is_refused_with_the_reason()
    {
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(new AdaptiveAvgPool2d((2, 3)),
            new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "batch", 4, 8, "frames")] }));
        Assert.Contains("AdaptiveAvgPool2d((2, 3))", e.Message);
        Assert.Contains("[batch, 4, 8, frames]", e.Message);
        Assert.Contains("divisible", e.Message);
    }

    [Fact]
    public void Embedding_gathers_rows_for_int64_indices_of_any_shape()
    {
        var emb = new Embedding(11, 4, paddingIdx: 0, rng: new Random(10));
        var exported = OnnxExporter.Export(emb, new OnnxExportOptions { Inputs = [OnnxValueInfo.Int64("tokens", "batch", "time")] });
        using var ort = new Ort(exported);
        foreach (var (b, t) in new[] { (1, 1), (2, 5) })
        {
            var idx = Enumerable.Range(0, b * t).Select(i => (long)((i * 7) % 11)).ToArray();
            Close.Assert(emb.Forward(idx, b, t), ort.Run(("tokens", (idx, new long[] { b, t })))["output"], $"embedding [{b}, {t}]");
        }
    }

    /// <summary>The HFN encoder shape the team uses: 4 × (Conv 3×3 p1 → BN → ReLU → MaxPool 2), 16-32-64-64, global average pool, Linear.</summary>
    internal static Sequential HfnEncoder(int classes = 4, int seed = 11)
    {
        var rng = new Random(seed);
        UnaryModule[] Block(int cin, int cout) => [new Conv2d(cin, cout, 3, 1, 1, rng: rng), new BatchNorm2d(cout), new ReLU(), new MaxPool2d(2)];
        var net = new Sequential([.. Block(1, 16), .. Block(16, 32), .. Block(32, 64), .. Block(64, 64), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(64, classes, rng: rng)]);
        foreach (var (name, t) in net.NamedBuffers())
            if (name.EndsWith("running_var", StringComparison.Ordinal)) for (int i = 0; i < t.Count; i++) t.Data[i] = 0.5f + 0.01f * i;
            else if (name.EndsWith("running_mean", StringComparison.Ordinal)) for (int i = 0; i < t.Count; i++) t.Data[i] = 0.02f * (i % 7) - 0.05f;
        return net;
    }

    [Fact]
    public void Sequential_cnn_encoder_matches_the_engine_on_log_mel_inputs_of_any_length()
    {
        // the engine fuses BatchNorm → ReLU → MaxPool in Sequential; the export writes the three ops (same values)
        var net = HfnEncoder();
        ExportCheck.Unary(net, ["batch", 1, 128, "frames"], [[1, 1, 128, 300], [2, 1, 128, 37]]);
    }

    [Fact]
    public void Sequential_names_initializers_with_the_state_dict_keys()
    {
        var net = HfnEncoder();
        var g = OnnxGraphBuilder.Export(net, new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "batch", 1, 128, "frames")] });
        var names = g.Initializers.Select(t => t.Name).ToHashSet();
        foreach (var key in net.StateDict().Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)))
            Assert.Contains(key, names);
        Assert.Equal(OnnxDim.Format([OnnxDim.Symbolic("batch"), 4]), OnnxDim.Format(g.Outputs[0].Shape));
    }
}
