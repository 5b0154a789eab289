using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Onnx.Tests;

/// <summary>
/// Element-wise comparison of ONNX Runtime's outputs with the engine's: |ort − engine| ≤ atol + rtol·|engine|.
/// </summary>
/// <remarks>
/// The default tolerance (atol 1e-5, rtol 1e-4) is float32 rounding, not a model difference: both compute in float32
/// but sum in different orders (ORT's MLAS GEMM/conv kernels vs the engine's SGEMM and im2col, different blocking and
/// FMA use), ORT evaluates sigmoid/tanh/erf with its own vectorised approximations, and recurrent layers carry those
/// differences through every step. A real export error (wrong gate order, bias, padding, mask or axis) changes
/// outputs at the 1e-2 … 1 level. Each test's measured maximum error is far below the bound (see docs/onnx.md).
/// </remarks>
internal static class Close
{
    public const float Atol = 1e-5f, Rtol = 1e-4f;

    public static void Assert(Tensor expected, Tensor actual, string what, float atol = Atol, float rtol = Rtol)
    {
        Xunit.Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: ONNX Runtime gave shape {Tensor.ShapeString(actual.Shape)}, the engine {Tensor.ShapeString(expected.Shape)}");
        var e = expected.Data;
        var a = actual.Data;
        float worst = 0; int at = -1;
        for (int i = 0; i < e.Length; i++)
        {
            float excess = MathF.Abs(a[i] - e[i]) - (atol + rtol * MathF.Abs(e[i]));
            if (float.IsNaN(a[i]) != float.IsNaN(e[i])) excess = float.PositiveInfinity;
            if (excess > worst || (at < 0 && excess > 0)) { worst = excess; at = i; }
        }
        Xunit.Assert.True(at < 0, at < 0 ? "" : $"{what}: element {at} is {a[at]} in ONNX Runtime and {e[at]} in the engine (|diff| {MathF.Abs(a[at] - e[at]):G3} > {atol:G2} + {rtol:G2}·|engine|)");
    }

    /// <summary>The largest |ort − engine| (for reporting measured errors).</summary>
    public static float MaxAbs(Tensor expected, Tensor actual)
    {
        float m = 0;
        for (int i = 0; i < expected.Count; i++) m = MathF.Max(m, MathF.Abs(expected.Data[i] - actual.Data[i]));
        return m;
    }
}
