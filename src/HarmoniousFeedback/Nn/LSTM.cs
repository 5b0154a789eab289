using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// <c>nn.LSTM</c> (gate order i, f, g, o; two biases; multi-layer, batch_first, dropout between layers,
/// bidirectional, variable lengths). Parameters per layer k (suffix <c>_reverse</c> for the backward direction):
/// weight_ih_lk [4H, in_k], weight_hh_lk [4H, H], bias_ih_lk [4H], bias_hh_lk [4H]; init U(−1/√H, 1/√H).
/// Each layer-direction is one fused autograd node (one input GEMM over all steps, one recurrent GEMM per step,
/// SIMD gates, single-pass BPTT).
/// </summary>
public sealed class LSTM : RecurrentBase, IOnnxExportable
{
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool batchFirst = false, float dropout = 0f, bool bidirectional = false, SplitMix64? rng = null)
        : base(4, inputSize, hiddenSize, numLayers, batchFirst, dropout, bidirectional, rng) { }

    /// <summary>
    /// x [T, B, I] (or [B, T, I] when batch_first) → output with last dim H·D in the same layout, h_n and c_n
    /// [L·D, B, H]. <paramref name="h0"/>/<paramref name="c0"/> default to zeros. <paramref name="lengths"/> gives
    /// PyTorch packed-sequence semantics (output 0 past each length).
    /// </summary>
    public (Tensor Output, Tensor HN, Tensor CN) Forward(Tensor x, Tensor? h0 = null, Tensor? c0 = null, int[]? lengths = null)
    {
        var xt = TimeMajor(x, lengths);
        int T = xt.Shape[0], B = xt.Shape[1];
        CheckState(h0, "h0", B); CheckState(c0, "c0", B);
        var (output, finals) = RunStack(xt, 2, (input, l, d) =>
        {
            int idx = l * NumDirections + d;
            var (wih, whh, bih, bhh) = LayerWeights(l, d);
            var packed = F.LstmLayer(input, h0?.Select(0, idx), c0?.Select(0, idx), wih, whh, bih, bhh, d == 1, lengths);
            return (packed.Narrow(0, 0, T), [packed.Select(0, T), packed.Select(0, T + 1)]);
        });
        return (output, Tensor.Stack(finals[0], 0), Tensor.Stack(finals[1], 0));
    }

    /// <summary>
    /// ONNX: (x, h0?, c0?, lengths?) → (output, h_n, c_n), one ONNX <c>LSTM</c> node per layer with the gates reordered
    /// to ONNX's i, o, f, c and <c>lengths</c> (int32 [B]) as <c>sequence_lens</c>; initializers <c>W_lk</c>, <c>R_lk</c>,
    /// <c>B_lk</c> (see docs/onnx.md).
    /// </summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxRecurrent.Export(this, graph, inputs, lstm: true);
}
