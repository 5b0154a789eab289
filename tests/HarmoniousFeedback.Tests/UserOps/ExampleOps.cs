using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Tests.UserOps;

/// <summary>
/// Differentiable ops written the way a user of the toolkit writes them: outside the engine's namespace, through the
/// public API only (<see cref="Tensor.FromOp"/>, <see cref="Tensor.Data"/>, ordinary tensor operations). This is the
/// example of docs/nn.md "Adding an op"; <c>CustomOpTests</c> gradient-checks it and proves it uses nothing internal.
/// </summary>
public static class ExampleOps
{
    /// <summary>softplus(x) = ln(1 + eˣ), elementwise; d/dx = σ(x). Computed as max(x, 0) + ln(1 + e^−|x|) (no overflow).</summary>
    public static Tensor Softplus(Tensor x)
    {
        var xs = x.Data;
        var y = new float[xs.Length];
        for (int i = 0; i < y.Length; i++) y[i] = MathF.Max(xs[i], 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(xs[i])));
        return Tensor.FromOp("softplus", y, [.. x.Shape], [x], g => [g * x.Sigmoid()]);
    }

    /// <summary>
    /// Row-wise weighted squared norm: y[n] = Σ_d w[d]·x[n, d]², x [N, D], w [D] → y [N]. Gradients:
    /// dL/dx[n, d] = 2·w[d]·x[n, d]·g[n] and dL/dw[d] = Σ_n x[n, d]²·g[n].
    /// </summary>
    public static Tensor WeightedSquaredNorm(Tensor x, Tensor w)
    {
        if (x.Rank != 2 || w.Rank != 1 || w.Shape[0] != x.Shape[1])
            throw new ShapeMismatchException($"WeightedSquaredNorm needs x [N, D] and w [D], got {Tensor.ShapeString(x.Shape)} and {Tensor.ShapeString(w.Shape)}");
        int n = x.Shape[0], d = x.Shape[1];
        var y = new float[n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < d; c++) y[r] += w.Data[c] * x.Data[r * d + c] * x.Data[r * d + c];
        return Tensor.FromOp("weighted_squared_norm", y, [n], [x, w], g =>
        {
            var gc = g.Reshape(n, 1);                  // [N, 1] broadcasts over D
            return [x * w * gc * 2f, (x.Square() * gc).Sum(0)];
        });
    }
}
