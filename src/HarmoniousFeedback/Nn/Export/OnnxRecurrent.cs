namespace HarmoniousFeedback.Nn.Export;

/// <summary>
/// ONNX export of <see cref="LSTM"/> and <see cref="GRU"/>: one ONNX <c>LSTM</c>/<c>GRU</c> node per layer (both
/// directions in one node when bidirectional), stacked as the engine stacks layers.
/// </summary>
/// <remarks>
/// Weight layout. PyTorch (and the engine) stack the gates of <c>weight_ih_lk</c> as i, f, g, o (LSTM) and r, z, n
/// (GRU); ONNX stacks them as i, o, f, c and z, r, h. Per layer the exporter writes three derived initializers:
/// <c>W_lk</c> [D, G·H, in_k] (the <c>weight_ih</c> blocks reordered, direction 0 forward, 1 reverse),
/// <c>R_lk</c> [D, G·H, H] (<c>weight_hh</c>) and <c>B_lk</c> [D, 2·G·H] (<c>bias_ih</c> then <c>bias_hh</c>, ONNX's
/// Wb, Rb). GRU sets <c>linear_before_reset</c> = 1: PyTorch keeps b_hn inside r ⊙ (W_hn h + b_hn).
/// Lengths become the node's <c>sequence_lens</c> (int32): ONNX Runtime then carries each sequence's state past its
/// length, writes zeros to Y there and returns the last valid state in Y_h — PyTorch's packed-sequence semantics, as
/// the engine has them. Inter-layer dropout is the identity at inference.
/// </remarks>
internal static class OnnxRecurrent
{
    /// <summary>LSTM gate blocks in ONNX order (i, o, f, c) as indices of the PyTorch blocks (i, f, g, o).</summary>
    private static readonly int[] LstmOrder = [0, 3, 1, 2];

    /// <summary>GRU gate blocks in ONNX order (z, r, h) as indices of the PyTorch blocks (r, z, n).</summary>
    private static readonly int[] GruOrder = [1, 0, 2];

    /// <summary>LSTM: (x, h0?, c0?, lengths?) → (output, h_n, c_n); GRU: (x, h0?, lengths?) → (output, h_n).</summary>
    public static IReadOnlyList<string> Export(RecurrentBase rnn, OnnxGraphBuilder graph, IReadOnlyList<string> inputs, bool lstm)
    {
        string kind = lstm ? "LSTM" : "GRU";
        graph.CheckInputs(inputs, 1, lstm ? 3 : 2, lstm ? "LSTM(x, h0?, c0?, lengths?)" : "GRU(x, h0?, lengths?)");
        var x = inputs[0];
        var h0 = OnnxGraphBuilder.Optional(inputs, 1);
        var c0 = lstm ? OnnxGraphBuilder.Optional(inputs, 2) : null;
        var lengths = OnnxGraphBuilder.Optional(inputs, lstm ? 3 : 2);
        graph.CheckRank(x, 3, kind);
        graph.CheckDim(x, 2, rnn.InputSize, $"{kind}(input_size {rnn.InputSize})");

        int gates = lstm ? 4 : 3, hidden = rnn.HiddenSize, dirs = rnn.NumDirections, layers = rnn.NumLayers;
        var order = lstm ? LstmOrder : GruOrder;
        var xs = graph.ShapeOf(x);
        OnnxDim tDim = xs?[rnn.BatchFirst ? 1 : 0] ?? OnnxDim.Unknown, bDim = xs?[rnn.BatchFirst ? 0 : 1] ?? OnnxDim.Unknown;
        foreach (var (state, name) in new[] { (h0, "h0"), (c0, "c0") })
            if (state is not null)
            {
                graph.CheckRank(state, 3, kind);
                graph.CheckDim(state, 0, layers * dirs, $"{kind} {name}");
                graph.CheckDim(state, 2, hidden, $"{kind} {name}");
            }

        string? seqLens = lengths is null ? null
            : graph.TypeAndShape(lengths).Type == OnnxElementType.Int32 ? lengths : graph.Cast(lengths, OnnxElementType.Int32);
        var input = rnn.BatchFirst ? graph.Transpose(x, 1, 0, 2) : x;  // time-major [T, B, I]
        var finalsH = new List<string>();
        var finalsC = new List<string>();
        for (int l = 0; l < layers; l++)
        {
            int inK = l == 0 ? rnn.InputSize : hidden * dirs;
            var w = new float[dirs * gates * hidden * inK];
            var r = new float[dirs * gates * hidden * hidden];
            var b = new float[dirs * 2 * gates * hidden];
            for (int d = 0; d < dirs; d++)
            {
                var (wih, whh, bih, bhh) = rnn.LayerWeights(l, d);
                Reorder(wih.Data, w.AsSpan(d * gates * hidden * inK, gates * hidden * inK), order, hidden * inK);
                Reorder(whh.Data, r.AsSpan(d * gates * hidden * hidden, gates * hidden * hidden), order, hidden * hidden);
                Reorder(bih.Data, b.AsSpan(d * 2 * gates * hidden, gates * hidden), order, hidden);
                Reorder(bhh.Data, b.AsSpan((d * 2 + 1) * gates * hidden, gates * hidden), order, hidden);
            }
            var nodeInputs = new List<string>
            {
                input,
                graph.Initializer($"W_l{l}", w, dirs, gates * hidden, inK),
                graph.Initializer($"R_l{l}", r, dirs, gates * hidden, hidden),
                graph.Initializer($"B_l{l}", b, dirs, 2 * gates * hidden),
                seqLens ?? "",
                h0 is null ? "" : graph.Slice(h0, [l * dirs], [(l + 1) * dirs], [0]),
            };
            if (lstm) nodeInputs.Add(c0 is null ? "" : graph.Slice(c0, [l * dirs], [(l + 1) * dirs], [0]));
            while (nodeInputs[^1].Length == 0) nodeInputs.RemoveAt(nodeInputs.Count - 1);
            var attrs = new List<OnnxAttribute>
            {
                OnnxAttribute.Of("hidden_size", (long)hidden),
                OnnxAttribute.Of("direction", dirs == 2 ? "bidirectional" : "forward"),
            };
            if (!lstm) attrs.Add(OnnxAttribute.Of("linear_before_reset", 1L));
            var outs = graph.Op(kind, nodeInputs, lstm ? 3 : 2, [.. attrs]);
            graph.SetShape(outs[0], [tDim, dirs, bDim, hidden]);
            graph.SetShape(outs[1], [dirs, bDim, hidden]);
            finalsH.Add(outs[1]);
            if (lstm)
            {
                graph.SetShape(outs[2], [dirs, bDim, hidden]);
                finalsC.Add(outs[2]);
            }
            // Y [T, D, B, H] → [T, B, D·H] (directions side by side, as the engine concatenates them)
            input = dirs == 1 ? graph.Squeeze(outs[0], 1) : graph.Reshape(graph.Transpose(outs[0], 0, 2, 1, 3), 0, 0, -1);
            graph.SetShape(input, [tDim, bDim, hidden * dirs]);
        }
        var output = rnn.BatchFirst ? graph.Transpose(input, 1, 0, 2) : input;
        var result = new List<string> { output, Stack(graph, finalsH, layers * dirs, bDim, hidden) };
        if (lstm) result.Add(Stack(graph, finalsC, layers * dirs, bDim, hidden));
        return result;
    }

    /// <summary>h_n / c_n [L·D, B, H]: the layers' final states concatenated along the first axis.</summary>
    private static string Stack(OnnxGraphBuilder graph, List<string> finals, int count, OnnxDim batch, int hidden)
    {
        var s = finals.Count == 1 ? finals[0] : graph.Concat(finals, 0);
        graph.SetShape(s, [count, batch, hidden]);
        return s;
    }

    /// <summary>Copies gate blocks of <paramref name="block"/> values each from PyTorch order into ONNX order.</summary>
    private static void Reorder(ReadOnlySpan<float> source, Span<float> target, int[] order, int block)
    {
        for (int k = 0; k < order.Length; k++) source.Slice(order[k] * block, block).CopyTo(target.Slice(k * block, block));
    }
}
