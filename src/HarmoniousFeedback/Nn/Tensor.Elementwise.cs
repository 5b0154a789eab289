using System.Numerics.Tensors;

namespace HarmoniousFeedback.Nn;

public sealed partial class Tensor
{
    // ---------------------------------------------------------------- broadcasting helpers

    /// <summary>NumPy/PyTorch broadcast of two shapes (align right; sizes equal or one of them 1).</summary>
    public static int[] BroadcastShape(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        int r = Math.Max(a.Count, b.Count);
        var s = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i - (r - a.Count) >= 0 ? a[i - (r - a.Count)] : 1;
            int db = i - (r - b.Count) >= 0 ? b[i - (r - b.Count)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ShapeMismatchException($"shapes {ShapeString(a)} and {ShapeString(b)} cannot be broadcast (dim {i}: {da} vs {db})");
            s[i] = da == 1 ? db : da;
        }
        return s;
    }

    /// <summary>Strides of <paramref name="shape"/> seen through <paramref name="outShape"/> (0 on broadcast dims).</summary>
    private static int[] BroadcastStrides(int[] shape, int[] outShape)
    {
        int r = outShape.Length, off = r - shape.Length;
        var st = new int[r];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            st[i + off] = shape[i] == 1 ? 0 : acc;
            acc *= shape[i];
        }
        return st;
    }

    /// <summary>Calls <paramref name="row"/>(outOffset, aOffset, aStride, bOffset, bStride, len) for every innermost row.</summary>
    private static void ForEachRow(int[] outShape, int[] sa, int[] sb, RowAction row)
    {
        int r = outShape.Length;
        if (r == 0) { row(0, 0, 0, 0, 0, 1); return; }
        int inner = outShape[r - 1];
        int rows = inner == 0 ? 0 : Numel(outShape) / inner;
        var idx = new int[r];
        int oa = 0, ob = 0;
        for (int k = 0; k < rows; k++)
        {
            row(k * inner, oa, sa[r - 1], ob, sb[r - 1], inner);
            for (int d = r - 2; d >= 0; d--)
            {
                idx[d]++; oa += sa[d]; ob += sb[d];
                if (idx[d] < outShape[d]) break;
                oa -= sa[d] * idx[d]; ob -= sb[d] * idx[d]; idx[d] = 0;
            }
        }
    }
    private delegate void RowAction(int o, int a, int sa, int b, int sb, int len);

    /// <summary>Sums a gradient of shape <paramref name="outShape"/> down to <paramref name="shape"/> (undoing a broadcast).</summary>
    internal static float[] ReduceTo(float[] g, int[] outShape, int[] shape)
    {
        if (Numel(shape) == g.Length) return g;
        var res = new float[Numel(shape)];
        var st = BroadcastStrides(shape, outShape);
        var zero = new int[outShape.Length];
        ForEachRow(outShape, st, zero, (o, a, sa, _, _, len) =>
        {
            if (sa == 1) TensorPrimitives.Add(res.AsSpan(a, len), g.AsSpan(o, len), res.AsSpan(a, len));
            else res[a] += TensorPrimitives.Sum(g.AsSpan(o, len));
        });
        return res;
    }

    private enum BinOp { Add, Sub, Mul, Div }

    private static float[] Binary(Tensor a, Tensor b, BinOp op, out int[] outShape)
    {
        if (a._shape.AsSpan().SequenceEqual(b._shape))
        {
            outShape = a._shape;
            var r = Uninit(a._data.Length);
            switch (op)
            {
                case BinOp.Add: TensorPrimitives.Add(a._data, b._data, r); break;
                case BinOp.Sub: TensorPrimitives.Subtract(a._data, b._data, r); break;
                case BinOp.Mul: TensorPrimitives.Multiply(a._data, b._data, r); break;
                default: TensorPrimitives.Divide(a._data, b._data, r); break;
            }
            return r;
        }
        outShape = BroadcastShape(a._shape, b._shape);
        var res = Uninit(Numel(outShape));
        var sa = BroadcastStrides(a._shape, outShape);
        var sb = BroadcastStrides(b._shape, outShape);
        float[] ad = a._data, bd = b._data;
        ForEachRow(outShape, sa, sb, (o, ao, sA, bo, sB, len) =>
        {
            var dst = res.AsSpan(o, len);
            if (sA == 1 && sB == 1)
            {
                var x = ad.AsSpan(ao, len); var y = bd.AsSpan(bo, len);
                switch (op)
                {
                    case BinOp.Add: TensorPrimitives.Add(x, y, dst); break;
                    case BinOp.Sub: TensorPrimitives.Subtract(x, y, dst); break;
                    case BinOp.Mul: TensorPrimitives.Multiply(x, y, dst); break;
                    default: TensorPrimitives.Divide(x, y, dst); break;
                }
            }
            else if (sA == 1 && sB == 0)
            {
                var x = ad.AsSpan(ao, len); float y = bd[bo];
                switch (op)
                {
                    case BinOp.Add: TensorPrimitives.Add(x, y, dst); break;
                    case BinOp.Sub: TensorPrimitives.Subtract(x, y, dst); break;
                    case BinOp.Mul: TensorPrimitives.Multiply(x, y, dst); break;
                    default: TensorPrimitives.Divide(x, y, dst); break;
                }
            }
            else
            {
                for (int i = 0; i < len; i++)
                {
                    float x = ad[ao + i * sA], y = bd[bo + i * sB];
                    dst[i] = op switch { BinOp.Add => x + y, BinOp.Sub => x - y, BinOp.Mul => x * y, _ => x / y };
                }
            }
        });
        return res;
    }

    /// <summary>Element-wise a + b with broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var r = Binary(a, b, BinOp.Add, out var s);
        int[] sa = a._shape, sb = b._shape;
        return Result(r, s, "Add", [a, b], g =>
        {
            if (a._requiresGrad) a.AccumulateGrad(ReduceTo(g, s, sa));
            if (b._requiresGrad) b.AccumulateGrad(ReduceTo(g, s, sb));
        });
    }

    /// <summary>Element-wise a − b with broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        var r = Binary(a, b, BinOp.Sub, out var s);
        int[] sa = a._shape, sb = b._shape;
        return Result(r, s, "Sub", [a, b], g =>
        {
            if (a._requiresGrad) a.AccumulateGrad(ReduceTo(g, s, sa));
            if (b._requiresGrad)
            {
                var gb = (float[])ReduceTo(g, s, sb).Clone();
                TensorPrimitives.Negate(gb, gb);
                b.AccumulateGrad(gb);
            }
        });
    }

    /// <summary>Element-wise a ⊙ b with broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        var r = Binary(a, b, BinOp.Mul, out var s);
        return Result(r, s, "Mul", [a, b], g =>
        {
            var gt = new Tensor(g, s);
            if (a._requiresGrad) a.AccumulateGradOwned(ReduceTo(Binary(gt, b, BinOp.Mul, out _), s, a._shape));
            if (b._requiresGrad) b.AccumulateGradOwned(ReduceTo(Binary(gt, a, BinOp.Mul, out _), s, b._shape));
        });
    }

    /// <summary>Element-wise a / b with broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b)
    {
        var r = Binary(a, b, BinOp.Div, out var s);
        return Result(r, s, "Div", [a, b], g =>
        {
            var gt = new Tensor(g, s);
            if (a._requiresGrad) a.AccumulateGradOwned(ReduceTo(Binary(gt, b, BinOp.Div, out _), s, a._shape));
            if (b._requiresGrad)
            {
                // d(a/b)/db = −a/b² = −r/b
                var rb = Binary(new Tensor(r, s), b, BinOp.Div, out _);
                var gb = new float[rb.Length];
                TensorPrimitives.Multiply(rb, g, gb);
                TensorPrimitives.Negate(gb, gb);
                b.AccumulateGradOwned(ReduceTo(gb, s, b._shape));
            }
        });
    }

    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Sub(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Mul(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Div(a, b);
    public static Tensor operator +(Tensor a, float s) => a.AddScalar(s);
    public static Tensor operator +(float s, Tensor a) => a.AddScalar(s);
    public static Tensor operator -(Tensor a, float s) => a.AddScalar(-s);
    public static Tensor operator -(float s, Tensor a) => a.MulScalar(-1f).AddScalar(s);
    public static Tensor operator *(Tensor a, float s) => a.MulScalar(s);
    public static Tensor operator *(float s, Tensor a) => a.MulScalar(s);
    public static Tensor operator /(Tensor a, float s) => a.MulScalar(1f / s);
    public static Tensor operator -(Tensor a) => a.MulScalar(-1f);

    /// <summary>this + s.</summary>
    public Tensor AddScalar(float s)
    {
        var r = Uninit(_data.Length);
        TensorPrimitives.Add(_data, s, r);
        var self = this;
        // single parent: the incoming gradient buffer is not used by anyone else afterwards, so it can be adopted
        return Result(r, _shape, "AddScalar", [this], g => self.AccumulateGradOwned(g));
    }

    /// <summary>this · s.</summary>
    public Tensor MulScalar(float s)
    {
        var r = Uninit(_data.Length);
        TensorPrimitives.Multiply(_data, s, r);
        var self = this;
        return Result(r, _shape, "MulScalar", [this], g =>
        {
            TensorPrimitives.Multiply(g, s, g);  // g is this node's own buffer, consumed once
            self.AccumulateGradOwned(g);
        });
    }

    // ---------------------------------------------------------------- unary

    private Tensor Unary(string name, Action<float[], float[]> fwd, Func<float[], float[], float[], float[]> dydx)
    {
        var r = Uninit(_data.Length);
        fwd(_data, r);
        var self = this;
        return Result(r, _shape, name, [this], g => self.AccumulateGradOwned(dydx(self._data, r, g)));
    }

    /// <summary>eˣ.</summary>
    public Tensor Exp() => Unary("Exp", (x, y) => TensorPrimitives.Exp(x, y), (x, y, g) => { var d = Uninit(g.Length); TensorPrimitives.Multiply(g, y, d); return d; });
    /// <summary>ln x.</summary>
    public Tensor Log() => Unary("Log", (x, y) => TensorPrimitives.Log(x, y), (x, y, g) => { var d = Uninit(g.Length); TensorPrimitives.Divide(g, x, d); return d; });
    /// <summary>√x.</summary>
    public Tensor Sqrt() => Unary("Sqrt", (x, y) => TensorPrimitives.Sqrt(x, y), (x, y, g) => { var d = Uninit(g.Length); for (int i = 0; i < d.Length; i++) d[i] = g[i] * 0.5f / y[i]; return d; });
    /// <summary>|x| (gradient sign(x), 0 at 0).</summary>
    public Tensor Abs() => Unary("Abs", (x, y) => TensorPrimitives.Abs(x, y), (x, y, g) => { var d = Uninit(g.Length); for (int i = 0; i < d.Length; i++) d[i] = g[i] * MathF.Sign(x[i]); return d; });
    /// <summary>x².</summary>
    public Tensor Square() => Unary("Square", (x, y) => TensorPrimitives.Multiply(x, x, y), (x, y, g) => { var d = Uninit(g.Length); for (int i = 0; i < d.Length; i++) d[i] = 2f * g[i] * x[i]; return d; });
    /// <summary>xᵖ.</summary>
    public Tensor Pow(float p) => Unary("Pow", (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = MathF.Pow(x[i], p); }, (x, y, g) => { var d = Uninit(g.Length); for (int i = 0; i < d.Length; i++) d[i] = g[i] * p * MathF.Pow(x[i], p - 1); return d; });
    /// <summary>ReLU: max(x, 0); derivative 1 for x &gt; 0, else 0 (PyTorch).</summary>
    public Tensor Relu() => Unary("Relu",
        (x, y) => Kernels.ParallelChunks.For(x.Length, 1, (s, n) => TensorPrimitives.Max(x.AsSpan(s, n), 0f, y.AsSpan(s, n))),
        (x, y, g) => { Kernels.ParallelChunks.For(g.Length, 1, (s, n) => F.ReluMaskInPlace(y, g, s, n)); return g; });

    /// <summary>σ(x) = 1/(1+e⁻ˣ); derivative σ(1−σ).</summary>
    public Tensor Sigmoid() => Unary("Sigmoid", (x, y) => TensorPrimitives.Sigmoid(x, y), (x, y, g) => { var d = Uninit(g.Length); for (int i = 0; i < d.Length; i++) d[i] = g[i] * y[i] * (1f - y[i]); return d; });
    /// <summary>tanh x; derivative 1 − tanh².</summary>
    public Tensor Tanh() => Unary("Tanh", (x, y) => TensorPrimitives.Tanh(x, y), (x, y, g) => { var d = Uninit(g.Length); for (int i = 0; i < d.Length; i++) d[i] = g[i] * (1f - y[i] * y[i]); return d; });

    /// <summary>
    /// GELU. Exact: 0.5·x·(1 + erf(x/√2)), derivative Φ(x) + x·φ(x). With <paramref name="tanhApproximation"/>:
    /// 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))) (PyTorch <c>approximate='tanh'</c>).
    /// </summary>
    public Tensor Gelu(bool tanhApproximation = false)
    {
        const double k = 0.7978845608028654; // √(2/π)
        if (!tanhApproximation)
            return Unary("Gelu", (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = (float)(0.5 * x[i] * (1 + Erf(x[i] / Math.Sqrt(2)))); },
                (x, y, g) =>
                {
                    var d = Uninit(g.Length);
                    for (int i = 0; i < d.Length; i++)
                    {
                        double xi = x[i];
                        double cdf = 0.5 * (1 + Erf(xi / Math.Sqrt(2)));
                        double pdf = Math.Exp(-0.5 * xi * xi) / Math.Sqrt(2 * Math.PI);
                        d[i] = (float)(g[i] * (cdf + xi * pdf));
                    }
                    return d;
                });
        return Unary("GeluTanh", (x, y) => { for (int i = 0; i < x.Length; i++) { double xi = x[i]; y[i] = (float)(0.5 * xi * (1 + Math.Tanh(k * (xi + 0.044715 * xi * xi * xi)))); } },
            (x, y, g) =>
            {
                var d = Uninit(g.Length);
                for (int i = 0; i < d.Length; i++)
                {
                    double xi = x[i];
                    double u = k * (xi + 0.044715 * xi * xi * xi);
                    double t = Math.Tanh(u);
                    double du = k * (1 + 3 * 0.044715 * xi * xi);
                    d[i] = (float)(g[i] * (0.5 * (1 + t) + 0.5 * xi * (1 - t * t) * du));
                }
                return d;
            });
    }

    /// <summary>Error function to ~1e-15: Maclaurin series for |x| &lt; 2.5, Lentz continued fraction for erfc beyond.</summary>
    internal static double Erf(double x)
    {
        // High-precision erf: series for |x| < 2.5, complementary continued fraction beyond.
        double ax = Math.Abs(x);
        double r;
        if (ax < 2.5)
        {
            double sum = ax, term = ax, x2 = ax * ax;
            for (int n = 1; n < 200; n++)
            {
                term *= -x2 / n;
                double c = term / (2 * n + 1);
                sum += c;
                if (Math.Abs(c) < 1e-17 * Math.Abs(sum)) break;
            }
            r = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            // Lentz continued fraction for erfc
            double f = ax, c = ax, d = 0, tiny = 1e-300;
            for (int n = 1; n < 300; n++)
            {
                double an = n / 2.0;
                d = ax + an * d; d = Math.Abs(d) < tiny ? tiny : d; d = 1 / d;
                c = ax + an / c; c = Math.Abs(c) < tiny ? tiny : c;
                double delta = c * d;
                f *= delta;
                if (Math.Abs(delta - 1) < 1e-16) break;
            }
            r = 1 - Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }

    /// <summary>Sets elements where <paramref name="mask"/> (broadcast to this shape; nonzero = true) is true to <paramref name="value"/>; their gradient is 0.</summary>
    public Tensor MaskedFill(Tensor mask, float value)
    {
        var outShape = BroadcastShape(_shape, mask._shape);
        if (!outShape.AsSpan().SequenceEqual(_shape)) throw new ShapeMismatchException($"mask shape {ShapeString(mask._shape)} does not broadcast to {ShapeString(_shape)}");
        var m = new float[_data.Length];
        var sm = BroadcastStrides(mask._shape, _shape);
        var md = mask._data;
        ForEachRow(_shape, sm, new int[_shape.Length], (o, a, sa, _, _, len) => { for (int i = 0; i < len; i++) m[o + i] = md[a + i * sa]; });
        var r = (float[])_data.Clone();
        for (int i = 0; i < r.Length; i++) if (m[i] != 0) r[i] = value;
        var self = this;
        return Result(r, _shape, "MaskedFill", [this], g =>
        {
            var d = (float[])g.Clone();
            for (int i = 0; i < d.Length; i++) if (m[i] != 0) d[i] = 0;
            self.AccumulateGrad(d);
        });
    }
}
