namespace HarmoniousFeedback.Nn;

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

    protected RecurrentBase(int gates, int inputSize, int hiddenSize, int numLayers, bool batchFirst, float dropout, bool bidirectional, SplitMix64? rng)
    {
        new OptionsValidator(GetType().Name).Positive("input_size", inputSize).Positive("hidden_size", hiddenSize).Positive("num_layers", numLayers)
            .InRange("dropout", dropout, 0, 0.999999).ThrowIfAny();
        rng ??= NnRandom.Create();
        InputSize = inputSize; HiddenSize = hiddenSize; NumLayers = numLayers; BatchFirst = batchFirst; Dropout = dropout; Bidirectional = bidirectional;
        _dropoutRng = RegisterRng("dropout", new NnRng(rng.NextUInt64()));
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
            for (int b = 0; b < lengths.Length; b++) if (lengths[b] < 1 || lengths[b] > T) throw new ShapeMismatchException($"lengths[{b}] = {lengths[b]} is outside [1, {T}] (the input's time dimension)");
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
