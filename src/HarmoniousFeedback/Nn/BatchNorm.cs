using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

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

    /// <summary><c>max_pool2d(Forward(conv.Forward(x)).Relu(), 2)</c> in one op without storing the convolution output (used by
    /// <see cref="Sequential"/> for Conv2d → BatchNorm2d → ReLU → MaxPool2d(2) when <see cref="F.CanFuseConvBlock"/> holds).</summary>
    internal Tensor ForwardAfterConvReluMaxPool2x2(Conv2d conv, Tensor x)
    {
        if (_ranks.Length != 1 || _ranks[0] != 4 || conv.Weight.Shape[0] != NumFeatures)
            throw new ShapeMismatchException($"{GetType().Name}({NumFeatures}) cannot follow a convolution with {conv.Weight.Shape[0]} output channels");
        return F.Conv2dBatchNormReluMaxPool2x2(x, conv.Weight, conv.Bias, conv.Padding, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps, NumBatchesTracked);
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
