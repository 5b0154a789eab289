namespace HarmoniousFeedback.Nn;

/// <summary>
/// <c>nn.Linear</c>: y = x·Wᵀ + b over the last dim of any-rank x. <c>weight</c> [out, in], <c>bias</c> [out].
/// Init U(−1/√in, 1/√in) for both, as PyTorch (kaiming_uniform with a = √5 gives the same bound).
/// </summary>
public sealed class Linear : UnaryModule
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
}

/// <summary>
/// <c>nn.Embedding</c>: y[..., :] = weight[indices[...], :]. With <c>padding_idx</c> the gradient of that row is
/// always 0 (the forward still reads it; it is initialised to zeros). <c>weight</c> [num, dim], init N(0, 1).
/// </summary>
public sealed class Embedding : Module
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
}

/// <summary><c>nn.Dropout</c>: in training zeroes each element with probability p and scales the rest by 1/(1−p); identity in eval.</summary>
public sealed class Dropout : UnaryModule
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
}

/// <summary>
/// <c>nn.LayerNorm</c> over the last dim: y = (x − mean)/√(var + eps)·weight + bias, var biased.
/// <c>weight</c> (ones) and <c>bias</c> (zeros) have shape [normalized].
/// </summary>
public sealed class LayerNorm : UnaryModule
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
}

/// <summary>
/// <c>nn.BatchNorm1d</c> ([N, C] or [N, C, L]) and <c>nn.BatchNorm2d</c> ([N, C, H, W]). Training: per-channel
/// mean and biased var over every dim except C normalise x; running_mean ← (1−m)·running_mean + m·mean,
/// running_var ← (1−m)·running_var + m·var·n/(n−1) (unbiased), num_batches_tracked += 1. Eval: running stats.
/// Buffers: running_mean (zeros), running_var (ones), num_batches_tracked (stored as float, exact below 2²⁴).
/// </summary>
public class BatchNorm : UnaryModule
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

    /// <summary><c>max_pool2d(Forward(conv.Forward(x)).Relu(), 2)</c> in one op without storing the convolution output (used by
    /// <see cref="Sequential"/> for Conv2d → BatchNorm2d → ReLU → MaxPool2d(2) when <see cref="F.CanFuseConvBlock"/> holds).</summary>
    internal Tensor ForwardAfterConvReluMaxPool2x2(Conv2d conv, Tensor x)
    {
        if (_ranks.Length != 1 || _ranks[0] != 4 || conv.Weight.Shape[0] != NumFeatures)
            throw new ShapeMismatchException($"{GetType().Name}({NumFeatures}) cannot follow a convolution with {conv.Weight.Shape[0]} output channels");
        return F.Conv2dBatchNormReluMaxPool2x2(x, conv.Weight, conv.Bias, conv.Padding, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps, NumBatchesTracked);
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

/// <summary>ReLU: max(x, 0).</summary>
public sealed class ReLU : UnaryModule { public override Tensor Forward(Tensor x) => x.Relu(); }
/// <summary>tanh.</summary>
public sealed class Tanh : UnaryModule { public override Tensor Forward(Tensor x) => x.Tanh(); }
/// <summary>Logistic sigmoid.</summary>
public sealed class Sigmoid : UnaryModule { public override Tensor Forward(Tensor x) => x.Sigmoid(); }
/// <summary>GELU, exact (erf) or the tanh approximation.</summary>
public sealed class GELU(bool tanhApproximation = false) : UnaryModule { public override Tensor Forward(Tensor x) => x.Gelu(tanhApproximation); }
/// <summary>softmax over <c>dim</c>.</summary>
public sealed class Softmax(int dim = -1) : UnaryModule { public override Tensor Forward(Tensor x) => x.Softmax(dim); }
/// <summary>log-softmax over <c>dim</c>.</summary>
public sealed class LogSoftmax(int dim = -1) : UnaryModule { public override Tensor Forward(Tensor x) => x.LogSoftmax(dim); }
/// <summary>Flattens all dims from <c>startDim</c> (default 1, keeping the batch).</summary>
public sealed class Flatten(int startDim = 1) : UnaryModule { public override Tensor Forward(Tensor x) => x.Flatten(startDim); }
