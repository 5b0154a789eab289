using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// <c>nn.Linear</c>: y = x·Wᵀ + b over the last dim of any-rank x. <c>weight</c> [out, in], <c>bias</c> [out].
/// Init U(−1/√in, 1/√in) for both, as PyTorch (kaiming_uniform with a = √5 gives the same bound).
/// </summary>
public sealed class Linear : UnaryModule, IOnnxExportable
{
    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public Linear(int inFeatures, int outFeatures, bool bias = true, Random? rng = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear({inFeatures}, {outFeatures}): sizes must be > 0");
        rng ??= NnRandom.Create();
        InFeatures = inFeatures; OutFeatures = outFeatures;
        float bound = 1f / MathF.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Zeros(outFeatures, inFeatures));
        Init.Uniform(Weight, bound, rng);
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.Zeros(outFeatures));
            Init.Uniform(Bias, bound, rng);
        }
    }

    /// <summary>x [..., in] → [..., out].</summary>
    public override Tensor Forward(Tensor x)
    {
        if (x.Rank == 0 || x.Shape[^1] != InFeatures)
            throw new ShapeMismatchException($"Linear({InFeatures}→{OutFeatures}) got input of shape {Tensor.ShapeString(x.Shape)}; last dim must be {InFeatures}");
        var y = Tensor.BatchMatMul(x, Weight, false, true);
        return Bias is null ? y : y + Bias;
    }

    /// <summary>ONNX: (x) → (y). <c>Gemm(transB = 1)</c> on 2-D input with <c>weight</c>/<c>bias</c> as stored, else <c>MatMul</c> with <c>weight_t</c> [in, out] and <c>Add</c>.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "Linear(x)");
        graph.CheckDim(inputs[0], -1, InFeatures, $"Linear({InFeatures}→{OutFeatures})");
        return [graph.LinearOp(inputs[0], Weight, Bias)];
    }
}

/// <summary>
/// <c>nn.Embedding</c>: y[..., :] = weight[indices[...], :]. With <c>padding_idx</c> the gradient of that row is
/// always 0 (the forward still reads it; it is initialised to zeros). <c>weight</c> [num, dim], init N(0, 1).
/// </summary>
public sealed class Embedding : Module, IOnnxExportable
{
    public Tensor Weight { get; }
    public int? PaddingIdx { get; }

    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, Random? rng = null)
    {
        rng ??= NnRandom.Create();
        if (paddingIdx is { } p && (p < 0 || p >= numEmbeddings)) throw new ArgumentOutOfRangeException(nameof(paddingIdx), $"padding_idx {p} outside [0, {numEmbeddings})");
        Weight = RegisterParameter("weight", Tensor.Randn(rng, numEmbeddings, embeddingDim));
        PaddingIdx = paddingIdx;
        if (paddingIdx is { } pi) Weight.Data.Slice(pi * embeddingDim, embeddingDim).Clear();
    }

    /// <summary>indices of any shape → [..., dim].</summary>
    public Tensor Forward(ReadOnlySpan<long> indices, params int[] indicesShape) => Weight.IndexSelectRows(indices, indicesShape, PaddingIdx ?? -1);

    /// <summary>ONNX: (indices, int64 or int32, any shape) → ([..., dim]) as <c>Gather(weight, indices, axis = 0)</c>.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "Embedding(indices)");
        var y = graph.Op("Gather", [graph.Initializer("weight", Weight), inputs[0]], OnnxAttribute.Of("axis", 0L));
        graph.SetShape(y, graph.ShapeOf(inputs[0]) is { } s ? [.. s, Weight.Shape[1]] : null);
        return [y];
    }
}

/// <summary><c>nn.Dropout</c>: in training zeroes each element with probability p and scales the rest by 1/(1−p); identity in eval.</summary>
public sealed class Dropout : UnaryModule, IOnnxExportable
{
    private readonly NnRng _rng;
    public float P { get; }
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="seed">Seed of the mask generator (its state is saved in checkpoints as <c>rng.dropout</c>).</param>
    public Dropout(float p = 0.5f, int seed = 0)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"dropout p = {p} must be in [0, 1)");
        P = p; _rng = RegisterRng("dropout", new NnRng(seed));
    }
    public override Tensor Forward(Tensor x) => F.Dropout(x, P, Training, _rng);

    /// <summary>ONNX: the identity (inference); no node is written.</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "Dropout(x)");
        return [inputs[0]];
    }
}

/// <summary>
/// <c>nn.LayerNorm</c> over the last dim: y = (x − mean)/√(var + eps)·weight + bias, var biased.
/// <c>weight</c> (ones) and <c>bias</c> (zeros) have shape [normalized].
/// </summary>
public sealed class LayerNorm : UnaryModule, IOnnxExportable
{
    public int NormalizedShape { get; }
    public float Eps { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public LayerNorm(int normalizedShape, float eps = 1e-5f)
    {
        NormalizedShape = normalizedShape; Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Ones(normalizedShape));
        Bias = RegisterParameter("bias", Tensor.Zeros(normalizedShape));
    }
    public override Tensor Forward(Tensor x) => F.LayerNorm(x, Weight, Bias, Eps);

    /// <summary>ONNX: (x) → (y) as <c>LayerNormalization(axis = −1, epsilon)</c> (opset 17).</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "LayerNorm(x)");
        graph.CheckDim(inputs[0], -1, NormalizedShape, $"LayerNorm({NormalizedShape})");
        var y = graph.Op("LayerNormalization", [inputs[0], graph.Initializer("weight", Weight), graph.Initializer("bias", Bias)],
            OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("epsilon", Eps));
        graph.SetShape(y, graph.ShapeOf(inputs[0]));
        return [y];
    }
}

/// <summary>
/// <c>nn.BatchNorm1d</c> ([N, C] or [N, C, L]) and <c>nn.BatchNorm2d</c> ([N, C, H, W]). Training: per-channel
/// mean and biased var over every dim except C normalise x; running_mean ← (1−m)·running_mean + m·mean,
/// running_var ← (1−m)·running_var + m·var·n/(n−1) (unbiased), num_batches_tracked += 1. Eval: running stats.
/// Buffers: running_mean (zeros), running_var (ones), num_batches_tracked (stored as float, exact below 2²⁴).
/// </summary>
public class BatchNorm : UnaryModule, IOnnxExportable
{
    public int NumFeatures { get; }
    public float Eps { get; }
    public float Momentum { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }
    public Tensor NumBatchesTracked { get; }
    private readonly int[] _ranks;

    protected BatchNorm(int numFeatures, float eps, float momentum, params int[] allowedRanks)
    {
        NumFeatures = numFeatures; Eps = eps; Momentum = momentum; _ranks = allowedRanks;
        Weight = RegisterParameter("weight", Tensor.Ones(numFeatures));
        Bias = RegisterParameter("bias", Tensor.Zeros(numFeatures));
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(numFeatures));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones(numFeatures));
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Scalar(0));
    }

    public override Tensor Forward(Tensor x)
    {
        CheckInput(x);
        return F.BatchNorm(x, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps, NumBatchesTracked);
    }

    private void CheckInput(Tensor x)
    {
        if (!_ranks.Contains(x.Rank) || x.Shape[1] != NumFeatures)
            throw new ShapeMismatchException($"{GetType().Name}({NumFeatures}) expects rank {string.Join(" or ", _ranks)} input with {NumFeatures} channels in dim 1, got {Tensor.ShapeString(x.Shape)}");
    }

    /// <summary><c>max_pool2d(Forward(x).Relu(), 2)</c> in one op (used by <see cref="Sequential"/> for BatchNorm2d → ReLU → MaxPool2d(2)).</summary>
    public Tensor ForwardReluMaxPool2x2(Tensor x)
    {
        CheckInput(x);
        return F.BatchNormReluMaxPool2x2(x, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps, NumBatchesTracked);
    }

    /// <summary>
    /// ONNX: (x) → (y) as <c>BatchNormalization(x, weight, bias, running_mean, running_var, epsilon)</c> — the eval-mode
    /// computation with the running statistics (opset 15+: no training outputs).
    /// </summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, $"{GetType().Name}(x)");
        var x = inputs[0];
        if (graph.RankOf(x) is int r && !_ranks.Contains(r))
            throw new OnnxExportException($"{GetType().Name}({NumFeatures}) at '{graph.Scope}' expects rank {string.Join(" or ", _ranks)} input, got {OnnxDim.Format(graph.ShapeOf(x))}");
        graph.CheckDim(x, 1, NumFeatures, $"{GetType().Name}({NumFeatures})");
        var y = graph.Op("BatchNormalization",
            [x, graph.Initializer("weight", Weight), graph.Initializer("bias", Bias), graph.Initializer("running_mean", RunningMean), graph.Initializer("running_var", RunningVar)],
            OnnxAttribute.Of("epsilon", Eps));
        graph.SetShape(y, graph.ShapeOf(x));
        return [y];
    }

    /// <summary><c>Forward(x).Relu()</c> in one pass (used by <see cref="Sequential"/> for a BatchNorm → ReLU pair).</summary>
    public Tensor ForwardRelu(Tensor x)
    {
        CheckInput(x);
        return F.BatchNorm(x, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps, NumBatchesTracked, relu: true);
    }
}

/// <summary><c>nn.BatchNorm1d</c> on [N, C] or [N, C, L]. See <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm1d : BatchNorm
{
    public BatchNorm1d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f) : base(numFeatures, eps, momentum, 2, 3) { }
}

/// <summary><c>nn.BatchNorm2d</c> on [N, C, H, W]. See <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm2d : BatchNorm
{
    public BatchNorm2d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f) : base(numFeatures, eps, momentum, 4) { }
}

/// <summary>ReLU: max(x, 0). ONNX: <c>Relu</c>.</summary>
public sealed class ReLU : UnaryModule, IOnnxExportable
{
    public override Tensor Forward(Tensor x) => x.Relu();
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxGraphBuilder.UnaryLayer(graph, inputs, "ReLU", "Relu");
}

/// <summary>tanh. ONNX: <c>Tanh</c>.</summary>
public sealed class Tanh : UnaryModule, IOnnxExportable
{
    public override Tensor Forward(Tensor x) => x.Tanh();
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxGraphBuilder.UnaryLayer(graph, inputs, "Tanh", "Tanh");
}

/// <summary>Logistic sigmoid. ONNX: <c>Sigmoid</c>.</summary>
public sealed class Sigmoid : UnaryModule, IOnnxExportable
{
    public override Tensor Forward(Tensor x) => x.Sigmoid();
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxGraphBuilder.UnaryLayer(graph, inputs, "Sigmoid", "Sigmoid");
}

/// <summary>
/// GELU, exact (x·Φ(x) = 0.5·x·(1 + erf(x/√2))) or the tanh approximation (0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))).
/// ONNX: the <c>Gelu</c> op (<c>approximate</c> = "none"/"tanh") from opset 20; below it, the formula in
/// <c>Div</c>/<c>Erf</c>/<c>Tanh</c>/<c>Mul</c>/<c>Add</c> nodes (as <c>torch.onnx</c> writes it).
/// </summary>
public sealed class GELU(bool tanhApproximation = false) : UnaryModule, IOnnxExportable
{
    /// <summary>True for the tanh approximation (PyTorch <c>approximate='tanh'</c>).</summary>
    public bool TanhApproximation => tanhApproximation;

    public override Tensor Forward(Tensor x) => x.Gelu(tanhApproximation);

    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "GELU(x)");
        var x = inputs[0];
        if (graph.Opset >= 20) return [graph.Unary("Gelu", x, OnnxAttribute.Of("approximate", tanhApproximation ? "tanh" : "none"))];
        string inner;
        if (tanhApproximation)
        {
            var cube = graph.Binary("Mul", graph.Binary("Mul", x, x), x);
            var poly = graph.Binary("Add", x, graph.Binary("Mul", cube, graph.FloatConstant(0.044715f)));
            inner = graph.Unary("Tanh", graph.Binary("Mul", poly, graph.FloatConstant(MathF.Sqrt(2f / MathF.PI))));
        }
        else inner = graph.Unary("Erf", graph.Binary("Div", x, graph.FloatConstant(MathF.Sqrt(2f))));
        var y = graph.Binary("Mul", graph.Binary("Mul", x, graph.Binary("Add", inner, graph.FloatConstant(1f))), graph.FloatConstant(0.5f));
        return [y];
    }
}

/// <summary>softmax over <c>dim</c>. ONNX: <c>Softmax(axis = dim)</c> (opset 13+ semantics: one axis).</summary>
public sealed class Softmax(int dim = -1) : UnaryModule, IOnnxExportable
{
    /// <summary>The normalised dimension.</summary>
    public int Dim => dim;
    public override Tensor Forward(Tensor x) => x.Softmax(dim);
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxGraphBuilder.UnaryLayer(graph, inputs, "Softmax", "Softmax", OnnxAttribute.Of("axis", (long)dim));
}

/// <summary>log-softmax over <c>dim</c>. ONNX: <c>LogSoftmax(axis = dim)</c>.</summary>
public sealed class LogSoftmax(int dim = -1) : UnaryModule, IOnnxExportable
{
    /// <summary>The normalised dimension.</summary>
    public int Dim => dim;
    public override Tensor Forward(Tensor x) => x.LogSoftmax(dim);
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxGraphBuilder.UnaryLayer(graph, inputs, "LogSoftmax", "LogSoftmax", OnnxAttribute.Of("axis", (long)dim));
}

/// <summary>
/// Flattens all dims from <c>startDim</c> (default 1, keeping the batch). ONNX: <c>Flatten(axis = 1)</c> for
/// startDim 1, otherwise <c>Reshape</c> to [0, …, 0, −1] (startDim zeros: those dims are copied).
/// </summary>
public sealed class Flatten(int startDim = 1) : UnaryModule, IOnnxExportable
{
    /// <summary>The first flattened dimension.</summary>
    public int StartDim => startDim;

    public override Tensor Forward(Tensor x) => x.Flatten(startDim);

    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "Flatten(x)");
        var x = inputs[0];
        int start = startDim;
        if (start < 0)
        {
            int rank = graph.RankOf(x) ?? throw new OnnxExportException($"Flatten({startDim}) at '{graph.Scope}' needs the input rank to resolve a negative start dim, and it is unknown");
            start += rank;
        }
        if (start == 1)
        {
            var y = graph.Op("Flatten", [x], OnnxAttribute.Of("axis", 1L));
            var s = graph.ShapeOf(x);
            graph.SetShape(y, s is null ? null
                : [s[0], s.Skip(1).All(d => d.IsFixed) ? OnnxDim.Fixed(s.Skip(1).Aggregate(1, (p, d) => p * d.Value!.Value)) : OnnxDim.Unknown]);
            return [y];
        }
        return [graph.Reshape(x, [.. Enumerable.Repeat(0L, start), -1L])];
    }
}
