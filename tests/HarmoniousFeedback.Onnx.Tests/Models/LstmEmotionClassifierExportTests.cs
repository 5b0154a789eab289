using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;
using Xunit;

namespace HarmoniousFeedback.Onnx.Tests.Models;

/// <summary>The piano-emotion LSTM(+AM) classifier exported with its own signature and run in ONNX Runtime. Tolerance: <see cref="Close"/>.</summary>
public class LstmEmotionClassifierExportTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(2, false)]
    public void Classifier_matches_the_engine_on_padded_batches_of_any_size_and_length(int layers, bool attention)
    {
        var net = new LstmEmotionClassifier(50, 32, layers, 4, attention, 16, dropout: 0.5f, seed: layers);
        net.Eval();
        var exported = OnnxExporter.Export(net);
        Assert.Equal(["x", "lengths"], exported.Graph.Inputs.Select(i => i.Name));
        Assert.Equal(attention ? ["logits", "attention_weights"] : ["logits"], exported.Graph.Outputs.Select(o => o.Name));
        using var ort = new Ort(exported);
        var rng = new Random(5);
        foreach (var (b, t, lengths) in new[] { (1, 10, new[] { 10 }), (4, 10, new[] { 10, 1, 6, 9 }), (2, 50, new[] { 23, 50 }) })
        {
            var x = Tensor.Randn(rng, b, t, 50);
            for (int i = 0; i < b; i++) x.Data.Slice((i * t + lengths[i]) * 50, (t - lengths[i]) * 50).Clear();  // zero-padded, as the trainer pads
            Tensor logits;
            Tensor? weights;
            using (Tensor.NoGrad()) (logits, weights) = net.Forward(x, lengths);
            var o = ort.Run(("x", x), ("lengths", lengths));
            Close.Assert(logits, o["logits"], $"logits L={layers} B={b} T={t}");
            if (weights is not null) Close.Assert(weights, o["attention_weights"], $"attention weights L={layers} B={b} T={t}");
        }
    }

    [Fact]
    public void Classifier_signature_has_dynamic_batch_and_time_axes()
    {
        var net = new LstmEmotionClassifier(50, 8, 1, 4, true, 4, 0.1f, 1);
        var g = OnnxGraphBuilder.Export(net, new OnnxExportOptions());
        Assert.Equal("[batch, time, 50]", OnnxDim.Format(g.Inputs[0].Shape));
        Assert.Equal(OnnxElementType.Int32, g.Inputs[1].ElementType);
        Assert.Equal("[batch]", OnnxDim.Format(g.Inputs[1].Shape));
        Assert.Equal("[batch, 4]", OnnxDim.Format(g.Outputs[0].Shape));
        Assert.Equal("[batch, time]", OnnxDim.Format(g.Outputs[1].Shape));
    }

    [Fact]
    public void Classifier_inputs_can_be_renamed_but_not_resized()
    {
        var net = new LstmEmotionClassifier(50, 8, 1, 4, true, 4, 0.1f, 1);
        var renamed = OnnxGraphBuilder.Export(net, new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("Lld", "n", "segments", 50), OnnxValueInfo.Int32("Lengths", "n")] });
        Assert.Equal(["Lld", "Lengths"], renamed.Inputs.Select(i => i.Name));
        var e = Assert.Throws<OnnxExportException>(() => OnnxGraphBuilder.Export(net,
            new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "n", "t", 40), OnnxValueInfo.Float("lengths", "n")] }));
        Assert.Contains("dim 2 is 40, the model needs 50", e.Message);
        Assert.Contains("'lengths' is Float, the model needs Int32", e.Message);
    }
}
