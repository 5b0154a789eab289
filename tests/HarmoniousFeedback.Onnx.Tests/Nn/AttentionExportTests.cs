using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;
using Xunit;

namespace HarmoniousFeedback.Onnx.Tests.Nn;

/// <summary>Attention pooling, multi-head attention with masks and graph convolution exported and run in ONNX Runtime. Tolerance: <see cref="Close"/>.</summary>
public class AttentionExportTests
{
    [Fact]
    public void Additive_attention_pooling_masks_padded_steps_like_the_engine()
    {
        var attn = new AdditiveAttentionPooling(6, 4, new Random(1));
        var exported = OnnxExporter.Export(attn, new OnnxExportOptions
        {
            Inputs = [OnnxValueInfo.Float("h", "batch", "time", 6), OnnxValueInfo.Int32("lengths", "batch")],
            OutputNames = ["context", "weights"],
        });
        using var ort = new Ort(exported);
        var rng = new Random(2);
        foreach (var (b, t, lengths) in new[] { (1, 1, new[] { 1 }), (3, 8, new[] { 8, 2, 5 }) })
        {
            var h = Tensor.Randn(rng, b, t, 6);
            var (c, w) = attn.Forward(h, lengths);
            var o = ort.Run(("h", h), ("lengths", lengths));
            Close.Assert(c, o["context"], $"context B={b} T={t}");
            Close.Assert(w, o["weights"], $"weights B={b} T={t}");
        }
    }

    [Fact]
    public void Additive_attention_pooling_without_lengths_attends_to_every_step()
    {
        var attn = new AdditiveAttentionPooling(5, 3, new Random(3));
        var exported = OnnxExporter.Export(attn, new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("h", "batch", "time", 5)] });
        using var ort = new Ort(exported);
        var h = Tensor.Randn(new Random(4), 2, 6, 5);
        var (c, w) = attn.Forward(h);
        var o = ort.Run(("h", h));
        Close.Assert(c, o["output"], "context");
        Close.Assert(w, o["output_1"], "weights");
    }

    [Fact]
    public void Multihead_self_attention_with_key_padding_and_causal_masks_matches_the_engine()
    {
        var mha = new MultiheadAttention(8, 2, new Random(5));
        ExportCheck.Randomize(mha, 6);
        var exported = OnnxExporter.Export(mha, new OnnxExportOptions
        {
            Inputs =
            [
                OnnxValueInfo.Float("query", "batch", "time", 8), OnnxValueInfo.Float("key", "batch", "time", 8), OnnxValueInfo.Float("value", "batch", "time", 8),
                OnnxValueInfo.Float("key_padding_mask", "batch", "time"), OnnxValueInfo.Float("attn_mask", "time", "time"),
            ],
            OutputNames = ["attn_output", "attn_weights"],
        });
        using var ort = new Ort(exported);
        var rng = new Random(7);
        foreach (var (b, t) in new[] { (1, 1), (2, 5) })
        {
            var x = Tensor.Randn(rng, b, t, 8);
            var kpm = Tensor.Zeros(b, t);
            if (b > 1) kpm[1, t - 1] = 1;        // last key of row 1 is padding
            var causal = Tensor.Zeros(t, t);
            for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) causal[i, j] = 1;
            var (y, w) = mha.Forward(x, x, x, kpm, causal);
            var o = ort.Run(("query", x), ("key", x), ("value", x), ("key_padding_mask", kpm), ("attn_mask", causal));
            Close.Assert(y, o["attn_output"], $"MHA output B={b} T={t}");
            Close.Assert(w, o["attn_weights"], $"MHA weights B={b} T={t}");
        }
    }

    [Theory]
    [InlineData(17)]
    [InlineData(18)]
    public void Multihead_cross_attention_without_masks_matches_the_engine(int opset)
    {
        // opset 18 moved ReduceMean's axes from an attribute to an input: both forms are written and checked
        var mha = new MultiheadAttention(6, 3, new Random(8));
        var exported = OnnxExporter.Export(mha, new OnnxExportOptions
        {
            Opset = opset,
            Inputs = [OnnxValueInfo.Float("q", "batch", "tq", 6), OnnxValueInfo.Float("k", "batch", "tk", 6), OnnxValueInfo.Float("v", "batch", "tk", 6)],
        });
        using var ort = new Ort(exported);
        var rng = new Random(9);
        var (q, k, v) = (Tensor.Randn(rng, 2, 3, 6), Tensor.Randn(rng, 2, 7, 6), Tensor.Randn(rng, 2, 7, 6));
        var (y, w) = mha.Forward(q, k, v);
        var o = ort.Run(("q", q), ("k", k), ("v", v));
        Close.Assert(y, o["output"], "cross-attention output");
        Close.Assert(w, o["output_1"], "cross-attention weights");
    }

    [Fact]
    public void Gcn_with_a_given_adjacency_normalises_it_in_the_graph_for_batched_nodes()
    {
        var gcn = new GCNLayer(4, 3, rng: new Random(10));
        var exported = OnnxExporter.Export(gcn, new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "batch", "nodes", 4), OnnxValueInfo.Float("adjacency", "nodes", "nodes")] });
        using var ort = new Ort(exported);
        var rng = new Random(11);
        foreach (var (b, n) in new[] { (1, 2), (3, 5) })
        {
            var x = Tensor.Randn(rng, b, n, 4);
            var a = Tensor.Uniform(rng, 0, 1, n, n);
            Close.Assert(gcn.Forward(x, a), ort.Run(("x", x), ("adjacency", a))["output"], $"GCN B={b} N={n}");
        }
    }

    [Fact]
    public void Gcn_with_a_learned_adjacency_stores_its_normalisation_as_a_constant()
    {
        var gcn = new GCNLayer(4, 3, learnedNodes: 5, rng: new Random(12));
        ExportCheck.Randomize(gcn, 13);
        var exported = OnnxExporter.Export(gcn, new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", 5, 4)] });
        Assert.Contains(exported.Graph.Initializers, t => t.Name == "adjacency_norm");
        using var ort = new Ort(exported);
        var x = Tensor.Randn(new Random(14), 5, 4);
        Close.Assert(gcn.Forward(x), ort.Run(("x", x))["output"], "GCN with learned adjacency");
    }

    [Fact]
    public void Gcn_without_any_adjacency_is_refused()
    {
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(new GCNLayer(4, 3), new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", 5, 4)] }));
        Assert.Contains("needs the adjacency", e.Message);
    }
}
