using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>Runs unary modules in order; children are named "0", "1", … as in PyTorch.</summary>
public sealed class Sequential : UnaryModule, IOnnxExportable
{
    private readonly List<UnaryModule> _layers = new();
    public Sequential(params UnaryModule[] layers)
    {
        for (int i = 0; i < layers.Length; i++) _layers.Add(RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]));
    }
    public IReadOnlyList<UnaryModule> Layers => _layers;
    /// <summary>Runs the layers in order, fusing common runs into one op each: Conv2d → BatchNorm2d → ReLU → MaxPool2d(2)
    /// when the convolution has few input taps and its input needs no gradient (the first layer of a spectrogram CNN:
    /// <see cref="F.Conv2dBatchNormReluMaxPool2x2"/>, the convolution output never stored; values and gradients equal to
    /// float rounding), BatchNorm → ReLU → MaxPool2d(2) on [N, C, H, W] (<see cref="BatchNorm.ForwardReluMaxPool2x2"/>:
    /// same values, gradients equal to float rounding, the full-size activation never stored) and BatchNorm → ReLU
    /// (<see cref="BatchNorm.ForwardRelu"/>: bit-identical).</summary>
    public override Tensor Forward(Tensor x)
    {
        for (int i = 0; i < _layers.Count; i++)
        {
            if (_layers[i] is Conv2d conv && i + 3 < _layers.Count && _layers[i + 1] is BatchNorm2d bnc && _layers[i + 2] is ReLU &&
                _layers[i + 3] is MaxPool2d mpc && mpc.Is2x2Stride2 && F.CanFuseConvBlock(x, conv))
            {
                x = bnc.ForwardAfterConvReluMaxPool2x2(conv, x);
                i += 3;
            }
            else if (_layers[i] is BatchNorm bn0 && i + 2 < _layers.Count && _layers[i + 1] is ReLU && _layers[i + 2] is MaxPool2d mp && mp.Is2x2Stride2 && x.Rank == 4)
            {
                x = bn0.ForwardReluMaxPool2x2(x);
                i += 2;
            }
            else if (_layers[i] is BatchNorm bn && i + 1 < _layers.Count && _layers[i + 1] is ReLU)
            {
                x = bn.ForwardRelu(x);
                i++;
            }
            else x = _layers[i].Forward(x);
        }
        return x;
    }

    /// <summary>ONNX: each layer's export in order under its index ("0", "1", …); the fused runs are written as their separate ops (same values).</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "Sequential(x)");
        var x = inputs[0];
        for (int i = 0; i < _layers.Count; i++)
        {
            var outputs = graph.Emit(_layers[i], i.ToString(System.Globalization.CultureInfo.InvariantCulture), x);
            if (outputs.Count != 1) throw new OnnxExportException($"layer {i} of Sequential at '{graph.Scope}' ({_layers[i].GetType().Name}) exported {outputs.Count} outputs; a Sequential layer has one");
            x = outputs[0];
        }
        return [x];
    }
}
