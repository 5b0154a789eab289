using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Onnx.Tests.Nn;

/// <summary>Exports a one-input module once and compares ONNX Runtime with the engine on inputs of several shapes (one session: the dynamic axes must really be dynamic).</summary>
internal static class ExportCheck
{
    /// <summary>
    /// Exports <paramref name="module"/> (in eval mode) with input <c>x</c> of shape <paramref name="inputShape"/> and
    /// checks ORT against <c>module.Forward</c> for every shape in <paramref name="runShapes"/> (random normal inputs).
    /// Returns the largest absolute difference seen.
    /// </summary>
    public static float Unary<T>(T module, OnnxDim[] inputShape, int[][] runShapes, int opset = 17, int seed = 1, float atol = Close.Atol, float rtol = Close.Rtol)
        where T : UnaryModule, IOnnxExportable
    {
        module.Eval();
        var exported = OnnxExporter.Export(module, new OnnxExportOptions { Opset = opset, Inputs = [OnnxValueInfo.Float("x", inputShape)], OutputNames = ["y"] });
        using var ort = new Ort(exported);
        var rng = new Random(seed);
        float worst = 0;
        foreach (var shape in runShapes)
        {
            var x = Tensor.Randn(rng, shape);
            Tensor expected;
            using (Tensor.NoGrad()) expected = module.Forward(x);
            var actual = ort.Run(("x", x))["y"];
            Close.Assert(expected, actual, $"{module.GetType().Name} on {Tensor.ShapeString(shape)} (opset {opset})", atol, rtol);
            worst = MathF.Max(worst, Close.MaxAbs(expected, actual));
        }
        return worst;
    }

    /// <summary>Gives a module's parameters and buffers random values (variances positive), so no default 0/1 hides a wrong mapping.</summary>
    public static T Randomize<T>(T module, int seed) where T : Module
    {
        var rng = new Random(seed);
        foreach (var (name, t) in module.StateDict())
        {
            var d = t.Data;
            for (int i = 0; i < d.Length; i++)
                d[i] = name.EndsWith("running_var", StringComparison.Ordinal) ? 0.2f + (float)rng.NextDouble()
                    : name.EndsWith("num_batches_tracked", StringComparison.Ordinal) ? d[i]
                    : (float)(rng.NextDouble() * 2 - 1);
        }
        return module;
    }
}
