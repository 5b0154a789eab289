using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// <c>nn.GRU</c> (gate order r, z, n; b_hn inside r ⊙ (W_hn h + b_hn)). Parameters as LSTM with 3H rows.
/// </summary>
public sealed class GRU : RecurrentBase, IOnnxExportable
{
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool batchFirst = false, float dropout = 0f, bool bidirectional = false, SplitMix64? rng = null)
        : base(3, inputSize, hiddenSize, numLayers, batchFirst, dropout, bidirectional, rng) { }

    /// <summary>x → (output, h_n [L·D, B, H]); see <see cref="LSTM.Forward"/> for layouts.</summary>
    public (Tensor Output, Tensor HN) Forward(Tensor x, Tensor? h0 = null, int[]? lengths = null)
    {
        var xt = TimeMajor(x, lengths);
        int T = xt.Shape[0], B = xt.Shape[1];
        CheckState(h0, "h0", B);
        var (output, finals) = RunStack(xt, 1, (input, l, d) =>
        {
            int idx = l * NumDirections + d;
            var (wih, whh, bih, bhh) = LayerWeights(l, d);
            var packed = F.GruLayer(input, h0?.Select(0, idx), wih, whh, bih, bhh, d == 1, lengths);
            return (packed.Narrow(0, 0, T), [packed.Select(0, T)]);
        });
        return (output, Tensor.Stack(finals[0], 0));
    }

    /// <summary>
    /// ONNX: (x, h0?, lengths?) → (output, h_n), one ONNX <c>GRU</c> node per layer (gates reordered to z, r, h,
    /// <c>linear_before_reset</c> = 1) with <c>lengths</c> as <c>sequence_lens</c>.
    /// </summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxRecurrent.Export(this, graph, inputs, lstm: false);
}
