using System.Numerics.Tensors;

namespace HarmoniousFeedback.Nn;

public sealed partial class Tensor
{
    /// <summary>Splits the shape around <paramref name="dim"/>: outer = ∏ before, n = size, inner = ∏ after.</summary>
    private void Split(int dim, out int outer, out int n, out int inner)
    {
        outer = 1; inner = 1;
        for (int i = 0; i < dim; i++) outer *= _shape[i];
        n = _shape[dim];
        for (int i = dim + 1; i < _shape.Length; i++) inner *= _shape[i];
    }

    private int[] ReducedShape(int dim, bool keepDim)
    {
        if (keepDim) { var s = (int[])_shape.Clone(); s[dim] = 1; return s; }
        return _shape.Where((_, i) => i != dim).ToArray();
    }

    /// <summary>Σ of all elements (0-d result).</summary>
    public Tensor Sum()
    {
        // fixed-order sequential summation in double: deterministic and accurate
        double acc = 0;
        foreach (var v in _data) acc += v;
        var self = this;
        return Result([(float)acc], [], "Sum", [this], g =>
        {
            var d = new float[self._data.Length];
            Array.Fill(d, g[0]);
            self.AccumulateGrad(d);
        });
    }

    /// <summary>Mean of all elements (0-d result).</summary>
    public Tensor Mean() => Sum().MulScalar(1f / Math.Max(1, _data.Length));

    /// <summary>Σ over dimension <paramref name="dim"/>; <paramref name="keepDim"/> keeps it with size 1.</summary>
    public Tensor Sum(int dim, bool keepDim = false)
    {
        dim = NormDim(dim);
        Split(dim, out int outer, out int n, out int inner);
        var r = new float[outer * inner];
        for (int o = 0; o < outer; o++)
        {
            var dst = r.AsSpan(o * inner, inner);
            for (int k = 0; k < n; k++) TensorPrimitives.Add(dst, _data.AsSpan((o * n + k) * inner, inner), dst);
        }
        var self = this;
        return Result(r, ReducedShape(dim, keepDim), "SumDim", [this], g =>
        {
            var d = new float[self._data.Length];
            for (int o = 0; o < outer; o++)
                for (int k = 0; k < n; k++) g.AsSpan(o * inner, inner).CopyTo(d.AsSpan((o * n + k) * inner, inner));
            self.AccumulateGrad(d);
        });
    }

    /// <summary>Mean over dimension <paramref name="dim"/>.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Sum(dim, keepDim).MulScalar(1f / _shape[NormDim(dim)]);

    /// <summary>Maximum over <paramref name="dim"/>; the gradient goes to the (first) arg-max.</summary>
    public Tensor Max(int dim, bool keepDim = false) => MaxWithIndices(dim, keepDim, out _);

    /// <summary>Maximum over <paramref name="dim"/> and the arg-max indices (as in <c>torch.max(x, dim)</c>).</summary>
    public Tensor MaxWithIndices(int dim, bool keepDim, out int[] indices)
    {
        dim = NormDim(dim);
        Split(dim, out int outer, out int n, out int inner);
        if (n == 0) throw new ShapeMismatchException($"Max over empty dim {dim} of shape {ShapeString(_shape)}");
        var r = new float[outer * inner];
        var arg = new int[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                int best = 0; float bv = _data[o * n * inner + j];
                for (int k = 1; k < n; k++)
                {
                    float v = _data[(o * n + k) * inner + j];
                    if (v > bv || float.IsNaN(v)) { bv = v; best = k; }
                }
                r[o * inner + j] = bv; arg[o * inner + j] = best;
            }
        indices = arg;
        var self = this;
        return Result(r, ReducedShape(dim, keepDim), "MaxDim", [this], g =>
        {
            var d = new float[self._data.Length];
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < inner; j++) d[(o * n + arg[o * inner + j]) * inner + j] = g[o * inner + j];
            self.AccumulateGrad(d);
        });
    }

    /// <summary>Index of the maximum along <paramref name="dim"/> (no gradient).</summary>
    public int[] ArgMax(int dim = -1)
    {
        using (NoGrad()) { MaxWithIndices(dim, false, out var idx); return idx; }
    }

    /// <summary>softmax along <paramref name="dim"/>: y = exp(x − max) / Σ exp(x − max). Backward: dx = y ⊙ (g − Σ g⊙y).</summary>
    public Tensor Softmax(int dim = -1)
    {
        dim = NormDim(dim);
        Split(dim, out int outer, out int n, out int inner);
        var r = Uninit(_data.Length);
        var col = new float[n];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                int b = o * n * inner + j;
                float mx = float.NegativeInfinity;
                for (int k = 0; k < n; k++) mx = Math.Max(mx, _data[b + k * inner]);
                double s = 0;
                for (int k = 0; k < n; k++)
                {
                    float e = float.IsNegativeInfinity(mx) ? 0f : MathF.Exp(_data[b + k * inner] - mx);
                    col[k] = e; s += e;
                }
                float inv = s > 0 ? (float)(1.0 / s) : 0f;
                for (int k = 0; k < n; k++) r[b + k * inner] = col[k] * inv;
            }
        var self = this;
        return Result(r, _shape, "Softmax", [this], g =>
        {
            var d = Uninit(g.Length);
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < inner; j++)
                {
                    int b = o * n * inner + j;
                    double dot = 0;
                    for (int k = 0; k < n; k++) dot += g[b + k * inner] * r[b + k * inner];
                    for (int k = 0; k < n; k++) d[b + k * inner] = r[b + k * inner] * (g[b + k * inner] - (float)dot);
                }
            self.AccumulateGradOwned(d);
        });
    }

    /// <summary>log-softmax along <paramref name="dim"/>: y = x − max − ln Σ exp(x − max). Backward: dx = g − softmax ⊙ Σ g.</summary>
    public Tensor LogSoftmax(int dim = -1)
    {
        dim = NormDim(dim);
        Split(dim, out int outer, out int n, out int inner);
        var r = Uninit(_data.Length);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                int b = o * n * inner + j;
                float mx = float.NegativeInfinity;
                for (int k = 0; k < n; k++) mx = Math.Max(mx, _data[b + k * inner]);
                double s = 0;
                for (int k = 0; k < n; k++) s += Math.Exp(_data[b + k * inner] - mx);
                float lse = mx + (float)Math.Log(s);
                for (int k = 0; k < n; k++) r[b + k * inner] = _data[b + k * inner] - lse;
            }
        var self = this;
        return Result(r, _shape, "LogSoftmax", [this], g =>
        {
            var d = Uninit(g.Length);
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < inner; j++)
                {
                    int b = o * n * inner + j;
                    double sg = 0;
                    for (int k = 0; k < n; k++) sg += g[b + k * inner];
                    for (int k = 0; k < n; k++) d[b + k * inner] = g[b + k * inner] - MathF.Exp(r[b + k * inner]) * (float)sg;
                }
            self.AccumulateGrad(d);
        });
    }
}
