using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// The HFN's convolutional encoder, fixed by the method: n blocks (default 4) of
/// Conv2d(c_{i−1} → c_i, 3×3, stride 1, padding 1) → BatchNorm2d(c_i) → ReLU → MaxPool2d(2), c₀ = 1, channels
/// 16 → 32 → 64 → 64 by default. [B, 1, M, T] → [B, c_n, ⌊M/2ⁿ⌋, ⌊T/2ⁿ⌋]. Built as one <see cref="Sequential"/>, so
/// BatchNorm → ReLU → MaxPool2d(2) runs as the engine's fused op and the engine's convolution kernels apply unchanged.
/// State-dict keys are PyTorch's for <c>nn.Sequential</c>: <c>blocks.{4i}.weight</c> (conv), <c>blocks.{4i+1}.running_mean</c> (norm), ….
/// ONNX: the blocks' <c>Conv</c>, <c>BatchNormalization</c>, <c>Relu</c>, <c>MaxPool</c> (<see cref="Sequential"/>'s export).
/// </summary>
public sealed class SpectrogramEncoder : Module, IOnnxExportable
{
    public SpectrogramEncoder(IReadOnlyList<int> channels, SplitMix64 rng)
    {
        var layers = new List<UnaryModule>();
        int cin = 1;
        foreach (var c in channels)
        {
            layers.Add(new Conv2d(cin, c, 3, stride: 1, padding: 1, rng: rng));
            layers.Add(new BatchNorm2d(c));
            layers.Add(new ReLU());
            layers.Add(new MaxPool2d(2));
            cin = c;
        }
        Blocks = RegisterModule("blocks", new Sequential([.. layers]));
        OutChannels = cin;
        BlockCount = channels.Count;
    }

    public Sequential Blocks { get; }
    public int OutChannels { get; }
    public int BlockCount { get; }

    /// <summary>[B, 1, M, T] → [B, C, ⌊M/2ⁿ⌋, ⌊T/2ⁿ⌋].</summary>
    public Tensor Forward(Tensor x) => Blocks.Forward(x);

    /// <summary>ONNX: (x [B, 1, M, T]) → [B, C, ⌊M/2ⁿ⌋, ⌊T/2ⁿ⌋].</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "SpectrogramEncoder(x)");
        return graph.Emit(Blocks, "blocks", inputs[0]);
    }
}
