namespace HarmoniousFeedback.Nn.Export;

/// <summary>ONNX export of <see cref="Nn.MultiheadAttention"/> in default-domain ops (see its <c>ExportOnnx</c>).</summary>
internal static class OnnxAttention
{
    /// <summary>(query, key, value, key_padding_mask?, attn_mask?) → (output [B, Tq, E], weights averaged over heads [B, Tq, Tk]).</summary>
    public static IReadOnlyList<string> MultiheadAttention(MultiheadAttention mha, OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 3, 2, "MultiheadAttention(query, key, value, key_padding_mask?, attn_mask?)");
        int e = mha.EmbedDim, nh = mha.NumHeads, d = e / nh;
        for (int i = 0; i < 3; i++)
        {
            graph.CheckRank(inputs[i], 3, "MultiheadAttention");
            graph.CheckDim(inputs[i], 2, e, $"MultiheadAttention(E={e})");
        }
        var keyPaddingMask = OnnxGraphBuilder.Optional(inputs, 3);
        var attnMask = OnnxGraphBuilder.Optional(inputs, 4);

        // per projection: x·W_pᵀ + b_p (rows p·E … (p+1)·E − 1 of in_proj), split into heads: [B, T, nh, d]
        string Project(string x, int part, string suffix)
        {
            Tensor w, b;
            using (Tensor.NoGrad())
            {
                w = mha.InProjWeight.Narrow(0, part * e, e);
                b = mha.InProjBias.Narrow(0, part * e, e);
            }
            return graph.Reshape(graph.LinearOp(x, w, b, "in_proj_weight_" + suffix, "in_proj_bias_" + suffix), 0, 0, nh, d);
        }
        var q = graph.Transpose(Project(inputs[0], 0, "q"), 0, 2, 1, 3);   // [B, nh, Tq, d]
        var kT = graph.Transpose(Project(inputs[1], 1, "k"), 0, 2, 3, 1);  // [B, nh, d, Tk]
        var v = graph.Transpose(Project(inputs[2], 2, "v"), 0, 2, 1, 3);   // [B, nh, Tk, d]
        var s = graph.Binary("Mul", graph.Op("MatMul", [q, kT]), graph.FloatConstant(1f / MathF.Sqrt(d)));  // [B, nh, Tq, Tk]
        if (keyPaddingMask is not null) s = graph.MaskedFillNegativeInfinity(s, graph.Unsqueeze(NonZero(graph, keyPaddingMask), 1, 2));
        if (attnMask is not null) s = graph.MaskedFillNegativeInfinity(s, NonZero(graph, attnMask));
        var a = graph.Softmax(s, -1);
        var o = graph.Reshape(graph.Transpose(graph.Op("MatMul", [a, v]), 0, 2, 1, 3), 0, 0, e);           // [B, Tq, E]
        var qs = graph.ShapeOf(inputs[0]);
        var ks = graph.ShapeOf(inputs[1]);
        graph.SetShape(o, qs is null ? null : [qs[0], qs[1], e]);
        var output = graph.Emit(mha.OutProj, "out_proj", o)[0];
        var weights = graph.ReduceMean(a, [1], keepDims: false);
        graph.SetShape(weights, qs is null || ks is null ? null : [qs[0], qs[1], ks[1]]);
        return [output, weights];
    }

    /// <summary>bool mask from a float mask (nonzero = masked): <c>Not(Equal(m, 0))</c>.</summary>
    private static string NonZero(OnnxGraphBuilder graph, string mask)
    {
        var y = graph.Op("Not", [graph.Op("Equal", [mask, graph.FloatConstant(0f)])]);
        graph.SetTypeAndShape(y, OnnxElementType.Bool, graph.ShapeOf(mask));
        return y;
    }
}
