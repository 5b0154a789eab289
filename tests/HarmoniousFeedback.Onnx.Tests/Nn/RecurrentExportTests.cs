using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;
using Xunit;

namespace HarmoniousFeedback.Onnx.Tests.Nn;

/// <summary>
/// LSTM and GRU exported as stacked ONNX LSTM/GRU nodes and run in ONNX Runtime against the engine: 1–3 layers, both
/// layouts, uni- and bidirectional, padded batches with lengths (PyTorch packed-sequence semantics), initial states;
/// one session per model run on several batch sizes and sequence lengths. Tolerance: <see cref="Close"/>.
/// </summary>
public class RecurrentExportTests
{
    /// <summary>(batch, time, lengths) runs: one step, a padded batch with a length-1 row, a batch of full-length rows.</summary>
    private static readonly (int B, int T, int[] Lengths)[] Runs = [(1, 1, [1]), (3, 7, [7, 3, 1]), (2, 12, [12, 12])];

    private static OnnxValueInfo X(bool batchFirst, int inputSize) => batchFirst
        ? OnnxValueInfo.Float("x", "batch", "time", inputSize)
        : OnnxValueInfo.Float("x", "time", "batch", inputSize);

    private static Tensor Input(Random rng, bool batchFirst, int b, int t, int i) => batchFirst ? Tensor.Randn(rng, b, t, i) : Tensor.Randn(rng, t, b, i);

    [Theory]
    [InlineData(1, false, true)]
    [InlineData(2, false, true)]
    [InlineData(3, false, false)]
    [InlineData(1, true, true)]
    [InlineData(2, true, false)]
    public void Lstm_matches_the_engine_on_padded_batches_with_lengths(int layers, bool bidirectional, bool batchFirst)
    {
        var lstm = new LSTM(5, 6, layers, batchFirst, bidirectional: bidirectional, rng: new Random(layers * 10 + (bidirectional ? 1 : 0)));
        lstm.Eval();
        var exported = OnnxExporter.Export(lstm, new OnnxExportOptions
        {
            Inputs = [X(batchFirst, 5), null, null, OnnxValueInfo.Int32("lengths", "batch")],  // LSTM(x, h0?, c0?, lengths?)
            OutputNames = ["y", "h_n", "c_n"],
        });
        using var ort = new Ort(exported);
        var rng = new Random(3);
        foreach (var (b, t, lengths) in Runs)
        {
            var x = Input(rng, batchFirst, b, t, 5);
            var (y, hn, cn) = lstm.Forward(x, lengths: lengths);
            var o = ort.Run(("x", x), ("lengths", lengths));
            string what = $"LSTM L={layers} bi={bidirectional} batch_first={batchFirst} B={b} T={t}";
            Close.Assert(y, o["y"], what + " output");
            Close.Assert(hn, o["h_n"], what + " h_n");
            Close.Assert(cn, o["c_n"], what + " c_n");
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Lstm_without_lengths_runs_every_step_and_takes_initial_states(int layers, bool bidirectional)
    {
        var lstm = new LSTM(4, 3, layers, batchFirst: true, bidirectional: bidirectional, rng: new Random(7));
        int states = layers * (bidirectional ? 2 : 1);
        var exported = OnnxExporter.Export(lstm, new OnnxExportOptions
        {
            Inputs = [OnnxValueInfo.Float("x", "batch", "time", 4), OnnxValueInfo.Float("h0", states, "batch", 3), OnnxValueInfo.Float("c0", states, "batch", 3)],
            OutputNames = ["y", "h_n", "c_n"],
        });
        using var ort = new Ort(exported);
        var rng = new Random(8);
        foreach (var (b, t) in new[] { (1, 1), (2, 9) })
        {
            var x = Tensor.Randn(rng, b, t, 4);
            var h0 = Tensor.Randn(rng, states, b, 3);
            var c0 = Tensor.Randn(rng, states, b, 3);
            var (y, hn, cn) = lstm.Forward(x, h0, c0);
            var o = ort.Run(("x", x), ("h0", h0), ("c0", c0));
            Close.Assert(y, o["y"], $"LSTM with h0/c0 B={b} T={t} output");
            Close.Assert(hn, o["h_n"], "h_n");
            Close.Assert(cn, o["c_n"], "c_n");
        }
    }

    [Theory]
    [InlineData(1, false, true)]
    [InlineData(2, false, false)]
    [InlineData(3, false, true)]
    [InlineData(2, true, true)]
    public void Gru_matches_the_engine_on_padded_batches_with_lengths(int layers, bool bidirectional, bool batchFirst)
    {
        var gru = new GRU(5, 6, layers, batchFirst, bidirectional: bidirectional, rng: new Random(layers * 20 + (bidirectional ? 1 : 0)));
        var exported = OnnxExporter.Export(gru, new OnnxExportOptions
        {
            Inputs = [X(batchFirst, 5), OnnxValueInfo.Float("h0", layers * (bidirectional ? 2 : 1), "batch", 6), OnnxValueInfo.Int32("lengths", "batch")],
            OutputNames = ["y", "h_n"],
        });
        using var ort = new Ort(exported);
        var rng = new Random(4);
        foreach (var (b, t, lengths) in Runs)
        {
            var x = Input(rng, batchFirst, b, t, 5);
            var h0 = Tensor.Randn(rng, layers * (bidirectional ? 2 : 1), b, 6);
            var (y, hn) = gru.Forward(x, h0, lengths);
            var o = ort.Run(("x", x), ("h0", h0), ("lengths", lengths));
            string what = $"GRU L={layers} bi={bidirectional} batch_first={batchFirst} B={b} T={t}";
            Close.Assert(y, o["y"], what + " output");
            Close.Assert(hn, o["h_n"], what + " h_n");
        }
    }

    [Fact]
    public void Lstm_export_writes_one_onnx_lstm_node_per_layer_with_reordered_gates()
    {
        var lstm = new LSTM(2, 3, 2, rng: new Random(9));
        var g = OnnxGraphBuilder.Export(lstm, new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "time", "batch", 2)] });
        Assert.Equal(2, g.Nodes.Count(n => n.OpType == "LSTM"));
        // ONNX W stacks gates i, o, f, c; PyTorch's weight_ih stacks i, f, g, o: W block 1 (o) is weight_ih block 3
        var w = g.Initializers.Single(t => t.Name == "W_l0").FloatData!;
        var wih = lstm.LayerWeights(0).WeightIh.Data;
        int block = 3 * 2;
        Assert.Equal(wih.Slice(3 * block, block).ToArray(), w.AsSpan(1 * block, block).ToArray());
        Assert.Equal(wih.Slice(1 * block, block).ToArray(), w.AsSpan(2 * block, block).ToArray());
        Assert.Equal(wih.Slice(2 * block, block).ToArray(), w.AsSpan(3 * block, block).ToArray());
    }

    [Fact]
    public void Lstm_export_rejects_a_fixed_input_size_that_differs_from_the_layer()
    {
        var lstm = new LSTM(5, 3);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(lstm, new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "time", "batch", 4)] }));
        Assert.Contains("input_size 5", e.Message);
        Assert.Contains("[time, batch, 4]", e.Message);
    }
}
