using HarmoniousFeedback.Nn.Export;
using HarmoniousFeedback.Nn.Kernels;

namespace HarmoniousFeedback.Nn;

public static partial class F
{
    /// <summary>
    /// One LSTM layer in one direction over time-major x [T, B, I] as a single autograd node (fused forward and
    /// BPTT, see <see cref="RecurrentKernels"/>). Returns packed [T+2, B, H]: y rows, then h_n, then c_n.
    /// h0/c0 are [B, H] or null (zeros). With <paramref name="lengths"/>, sequence b runs only t &lt; lengths[b]
    /// (reverse: t = lengths[b]−1 … 0); y is 0 beyond its length and h_n/c_n are its last valid state.
    /// </summary>
    public static Tensor LstmLayer(Tensor x, Tensor? h0, Tensor? c0, Tensor wih, Tensor whh, Tensor bih, Tensor bhh, bool reverse = false, int[]? lengths = null)
    {
        int T = x.Shape[0], B = x.Shape[1], I = x.Shape[2], H = whh.Shape[1];
        if (wih.Shape[0] != 4 * H || wih.Shape[1] != I) throw new ShapeMismatchException($"LSTM weight_ih {Tensor.ShapeString(wih.Shape)} does not fit input size {I} and hidden size {H} (expected [{4 * H}, {I}])");
        var output = new float[(T + 2) * B * H];
        var tape = RecurrentKernels.LstmForward(x._data, T, B, I, H, h0 is null ? default : h0._data, c0 is null ? default : c0._data,
            wih._data, whh._data, bih._data, bhh._data, reverse, lengths, output);
        var parents = new List<Tensor> { x, wih, whh, bih, bhh };
        if (h0 is not null) parents.Add(h0);
        if (c0 is not null) parents.Add(c0);
        var result = Tensor.Result(output, [T + 2, B, H], "LstmLayer", parents.ToArray(), g =>
        {
            var dX = x.RequiresGrad ? new float[x.Count] : null;
            var dh0 = new float[B * H]; var dc0 = new float[B * H];
            var dWih = new float[wih.Count]; var dWhh = new float[whh.Count]; var db = new float[4 * H];
            RecurrentKernels.LstmBackward(tape, x._data, wih._data, whh._data, g, dX, dh0, dc0, dWih, dWhh, db);
            if (dX is not null) x.AccumulateGradOwned(dX);
            wih.AccumulateGradOwned(dWih); whh.AccumulateGradOwned(dWhh);
            bih.AccumulateGrad(db); bhh.AccumulateGrad(db);
            h0?.AccumulateGrad(dh0); c0?.AccumulateGrad(dc0);
            tape.Release();
        });
        if (!result.RequiresGrad) tape.Release();  // no backward will run (no-grad or nothing trainable)
        return result;
    }

    /// <summary>One GRU layer-direction as a single autograd node. Returns packed [T+1, B, H]: y rows then h_n.</summary>
    public static Tensor GruLayer(Tensor x, Tensor? h0, Tensor wih, Tensor whh, Tensor bih, Tensor bhh, bool reverse = false, int[]? lengths = null)
    {
        int T = x.Shape[0], B = x.Shape[1], I = x.Shape[2], H = whh.Shape[1];
        if (wih.Shape[0] != 3 * H || wih.Shape[1] != I) throw new ShapeMismatchException($"GRU weight_ih {Tensor.ShapeString(wih.Shape)} does not fit input size {I} and hidden size {H} (expected [{3 * H}, {I}])");
        var output = new float[(T + 1) * B * H];
        var tape = RecurrentKernels.GruForward(x._data, T, B, I, H, h0 is null ? default : h0._data, wih._data, whh._data, bih._data, bhh._data, reverse, lengths, output);
        Tensor[] parents = h0 is null ? [x, wih, whh, bih, bhh] : [x, wih, whh, bih, bhh, h0];
        var result = Tensor.Result(output, [T + 1, B, H], "GruLayer", parents, g =>
        {
            var dX = x.RequiresGrad ? new float[x.Count] : null;
            var dh0 = new float[B * H];
            var dWih = new float[wih.Count]; var dWhh = new float[whh.Count]; var dbih = new float[3 * H]; var dbhh = new float[3 * H];
            RecurrentKernels.GruBackward(tape, x._data, wih._data, whh._data, g, dX, dh0, dWih, dWhh, dbih, dbhh);
            if (dX is not null) x.AccumulateGrad(dX);
            wih.AccumulateGrad(dWih); whh.AccumulateGrad(dWhh); bih.AccumulateGrad(dbih); bhh.AccumulateGrad(dbhh);
            h0?.AccumulateGrad(dh0);
            tape.Release();
        });
        if (!result.RequiresGrad) tape.Release();
        return result;
    }
}

/// <summary>Shared machinery of <see cref="LSTM"/> and <see cref="GRU"/>: PyTorch parameter names and layouts.</summary>
public abstract class RecurrentBase : Module
{
    public int InputSize { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }
    public bool BatchFirst { get; }
    public float Dropout { get; }
    public bool Bidirectional { get; }
    /// <summary>2 when bidirectional, else 1.</summary>
    public int NumDirections => Bidirectional ? 2 : 1;
    private readonly Tensor[][] _w; // [layer·D + dir] → (w_ih, w_hh, b_ih, b_hh)
    private readonly NnRng _dropoutRng;

    protected RecurrentBase(int gates, int inputSize, int hiddenSize, int numLayers, bool batchFirst, float dropout, bool bidirectional, Random? rng)
    {
        new OptionsValidator(GetType().Name).Positive("input_size", inputSize).Positive("hidden_size", hiddenSize).Positive("num_layers", numLayers)
            .InRange("dropout", dropout, 0, 0.999999).ThrowIfAny();
        rng ??= NnRandom.Create();
        InputSize = inputSize; HiddenSize = hiddenSize; NumLayers = numLayers; BatchFirst = batchFirst; Dropout = dropout; Bidirectional = bidirectional;
        _dropoutRng = RegisterRng("dropout", new NnRng(rng.Next()));
        float bound = 1f / MathF.Sqrt(hiddenSize);
        _w = new Tensor[numLayers * NumDirections][];
        for (int l = 0; l < numLayers; l++)
            for (int d = 0; d < NumDirections; d++)
            {
                int inK = l == 0 ? inputSize : hiddenSize * NumDirections;
                string sfx = $"_l{l}" + (d == 1 ? "_reverse" : "");
                var t = new[]
                {
                    RegisterParameter("weight_ih" + sfx, Tensor.Zeros(gates * hiddenSize, inK)),
                    RegisterParameter("weight_hh" + sfx, Tensor.Zeros(gates * hiddenSize, hiddenSize)),
                    RegisterParameter("bias_ih" + sfx, Tensor.Zeros(gates * hiddenSize)),
                    RegisterParameter("bias_hh" + sfx, Tensor.Zeros(gates * hiddenSize)),
                };
                foreach (var p in t) Init.Uniform(p, bound, rng);
                _w[l * NumDirections + d] = t;
            }
    }

    /// <summary>(weight_ih, weight_hh, bias_ih, bias_hh) of layer <paramref name="layer"/>, direction <paramref name="direction"/>.</summary>
    public (Tensor WeightIh, Tensor WeightHh, Tensor BiasIh, Tensor BiasHh) LayerWeights(int layer, int direction = 0)
    {
        var t = _w[layer * NumDirections + direction];
        return (t[0], t[1], t[2], t[3]);
    }

    /// <summary>Validates x and lengths and returns x time-major [T, B, I].</summary>
    protected Tensor TimeMajor(Tensor x, int[]? lengths)
    {
        if (x.Rank != 3 || x.Shape[2] != InputSize)
            throw new ShapeMismatchException($"{GetType().Name}(input_size {InputSize}) expects {(BatchFirst ? "[B, T, I]" : "[T, B, I]")} with I = {InputSize}, got {Tensor.ShapeString(x.Shape)}");
        int B = BatchFirst ? x.Shape[0] : x.Shape[1], T = BatchFirst ? x.Shape[1] : x.Shape[0];
        if (lengths is not null)
        {
            if (lengths.Length != B) throw new ShapeMismatchException($"{lengths.Length} lengths for a batch of {B}");
            foreach (var l in lengths) if (l < 1 || l > T) throw new ArgumentOutOfRangeException(nameof(lengths), $"length {l} outside [1, {T}]");
        }
        return BatchFirst ? x.Transpose(0, 1) : x;
    }

    protected void CheckState(Tensor? s, string name, int B)
    {
        if (s is not null && (s.Rank != 3 || s.Shape[0] != NumLayers * NumDirections || s.Shape[1] != B || s.Shape[2] != HiddenSize))
            throw new ShapeMismatchException($"{name} must be [{NumLayers * NumDirections}, {B}, {HiddenSize}] (layers·directions, batch, hidden), got {Tensor.ShapeString(s.Shape)}");
    }

    /// <summary>Runs all layers; <paramref name="layer"/> runs one layer-direction and returns (y [T,B,H], finals).</summary>
    protected (Tensor Output, List<Tensor>[] Finals) RunStack(Tensor xt, int nFinals, Func<Tensor, int, int, (Tensor Y, Tensor[] Finals)> layer)
    {
        var finals = Enumerable.Range(0, nFinals).Select(_ => new List<Tensor>()).ToArray();
        var input = xt;
        for (int l = 0; l < NumLayers; l++)
        {
            var ys = new List<Tensor>();
            for (int d = 0; d < NumDirections; d++)
            {
                var (y, f) = layer(input, l, d);
                ys.Add(y);
                for (int k = 0; k < nFinals; k++) finals[k].Add(f[k]);
            }
            input = ys.Count == 1 ? ys[0] : Tensor.Concat(ys, 2);
            if (l < NumLayers - 1 && Dropout > 0 && Training) input = F.Dropout(input, Dropout, true, _dropoutRng);
        }
        return (BatchFirst ? input.Transpose(0, 1) : input, finals);
    }
}

/// <summary>
/// <c>nn.LSTM</c> (gate order i, f, g, o; two biases; multi-layer, batch_first, dropout between layers,
/// bidirectional, variable lengths). Parameters per layer k (suffix <c>_reverse</c> for the backward direction):
/// weight_ih_lk [4H, in_k], weight_hh_lk [4H, H], bias_ih_lk [4H], bias_hh_lk [4H]; init U(−1/√H, 1/√H).
/// Each layer-direction is one fused autograd node (one input GEMM over all steps, one recurrent GEMM per step,
/// SIMD gates, single-pass BPTT).
/// </summary>
public sealed class LSTM : RecurrentBase, IOnnxExportable
{
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool batchFirst = false, float dropout = 0f, bool bidirectional = false, Random? rng = null)
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

/// <summary>
/// <c>nn.GRU</c> (gate order r, z, n; b_hn inside r ⊙ (W_hn h + b_hn)). Parameters as LSTM with 3H rows.
/// </summary>
public sealed class GRU : RecurrentBase, IOnnxExportable
{
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool batchFirst = false, float dropout = 0f, bool bidirectional = false, Random? rng = null)
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
