namespace HarmoniousFeedback.Nn.Export;

/// <summary>Helpers for the ONNX ops layers use most, with the output shape worked out where it follows from the input's.</summary>
public sealed partial class OnnxGraphBuilder
{
    /// <summary>An element-wise op of one input (<c>Relu</c>, <c>Tanh</c>, <c>Sigmoid</c>, <c>Erf</c>, <c>Identity</c>, …): same shape and type.</summary>
    public string Unary(string opType, string x, params OnnxAttribute[] attributes)
    {
        var y = Op(opType, [x], attributes);
        var (type, shape) = TypeAndShape(x);
        SetTypeAndShape(y, type, shape);
        return y;
    }

    /// <summary>A broadcasting binary op (<c>Add</c>, <c>Sub</c>, <c>Mul</c>, <c>Div</c>, <c>Pow</c>, numpy broadcasting); the result shape is worked out when both shapes are known.</summary>
    public string Binary(string opType, string a, string b)
    {
        var y = Op(opType, [a, b]);
        var (sa, sb) = (ShapeOf(a), ShapeOf(b));
        if (sa is not null && sb is not null) SetShape(y, BroadcastShape(sa, sb));
        return y;
    }

    private static OnnxDim[] BroadcastShape(IReadOnlyList<OnnxDim> a, IReadOnlyList<OnnxDim> b)
    {
        int rank = Math.Max(a.Count, b.Count);
        var r = new OnnxDim[rank];
        for (int i = 0; i < rank; i++)
        {
            var da = i - (rank - a.Count) is var ia && ia >= 0 ? a[ia] : OnnxDim.Fixed(1);
            var db = i - (rank - b.Count) is var ib && ib >= 0 ? b[ib] : OnnxDim.Fixed(1);
            r[i] = da == db || db == OnnxDim.Fixed(1) ? da
                : da == OnnxDim.Fixed(1) ? db
                : da.IsFixed ? da : db.IsFixed ? db : OnnxDim.Unknown;
        }
        return r;
    }

    /// <summary><c>Transpose</c> with <paramref name="perm"/>.</summary>
    public string Transpose(string x, params long[] perm)
    {
        var y = Op("Transpose", [x], OnnxAttribute.Of("perm", perm));
        if (ShapeOf(x) is { } s && s.Count == perm.Length) SetShape(y, perm.Select(p => s[(int)p]).ToArray());
        return y;
    }

    /// <summary><c>Reshape</c> to <paramref name="shape"/> (0 copies the input dim, −1 is inferred; <c>allowzero</c> = 0).</summary>
    public string Reshape(string x, params long[] shape)
    {
        var y = Op("Reshape", [x, Int64Constant(shape)]);
        var s = ShapeOf(x);
        var dims = new OnnxDim[shape.Length];
        for (int i = 0; i < shape.Length; i++)
            dims[i] = shape[i] switch
            {
                0 when s is not null && i < s.Count => s[i],
                > 0 => OnnxDim.Fixed(checked((int)shape[i])),
                _ => OnnxDim.Unknown,
            };
        int inferred = Array.IndexOf(shape, -1L);
        if (inferred >= 0 && s is not null && s.All(d => d.IsFixed) && dims.Where((_, i) => i != inferred).All(d => d.IsFixed))
        {
            long total = s.Aggregate(1L, (p, d) => p * d.Value!.Value);
            long rest = dims.Where((_, i) => i != inferred).Aggregate(1L, (p, d) => p * d.Value!.Value);
            if (rest > 0) dims[inferred] = OnnxDim.Fixed(checked((int)(total / rest)));
        }
        SetShape(y, dims);
        return y;
    }

    /// <summary><c>Unsqueeze</c> at <paramref name="axes"/> (non-negative, in the output's numbering).</summary>
    public string Unsqueeze(string x, params long[] axes)
    {
        var (type, s) = TypeAndShape(x);
        var y = Op("Unsqueeze", [x, Int64Constant(axes)]);
        if (s is not null)
        {
            var dims = s.ToList();
            foreach (var a in axes.Order()) dims.Insert((int)a, 1);
            SetTypeAndShape(y, type, dims);
        }
        else SetTypeAndShape(y, type, null);
        return y;
    }

    /// <summary><c>Squeeze</c> of <paramref name="axes"/> (non-negative).</summary>
    public string Squeeze(string x, params long[] axes)
    {
        var (type, s) = TypeAndShape(x);
        var y = Op("Squeeze", [x, Int64Constant(axes)]);
        SetTypeAndShape(y, type, s?.Where((_, i) => !axes.Contains(i)).ToArray());
        return y;
    }

    /// <summary><c>Softmax</c> (opset 13+: over the single axis <paramref name="axis"/>, as <c>torch.softmax(dim=axis)</c>).</summary>
    public string Softmax(string x, long axis) => Unary("Softmax", x, OnnxAttribute.Of("axis", axis));

    /// <summary><c>ReduceMean</c> over <paramref name="axes"/>: axes are an attribute before opset 18 and an input from 18.</summary>
    public string ReduceMean(string x, long[] axes, bool keepDims)
    {
        var keep = OnnxAttribute.Of("keepdims", keepDims ? 1L : 0L);
        var y = Opset < 18 ? Op("ReduceMean", [x], OnnxAttribute.Of("axes", axes), keep) : Op("ReduceMean", [x, Int64Constant(axes)], keep);
        SetShape(y, ReducedShape(ShapeOf(x), axes, keepDims));
        return y;
    }

    /// <summary><c>ReduceMax</c> over <paramref name="axes"/> (as <c>torch.amax</c>): axes are an attribute before opset 18 and an input from 18.</summary>
    public string ReduceMax(string x, long[] axes, bool keepDims) => ReduceWithAxes("ReduceMax", x, axes, keepDims);

    /// <summary><c>ReduceMin</c> over <paramref name="axes"/> (as <c>torch.amin</c>): axes are an attribute before opset 18 and an input from 18.</summary>
    public string ReduceMin(string x, long[] axes, bool keepDims) => ReduceWithAxes("ReduceMin", x, axes, keepDims);

    private string ReduceWithAxes(string opType, string x, long[] axes, bool keepDims)
    {
        var keep = OnnxAttribute.Of("keepdims", keepDims ? 1L : 0L);
        var y = Opset < 18 ? Op(opType, [x], OnnxAttribute.Of("axes", axes), keep) : Op(opType, [x, Int64Constant(axes)], keep);
        SetTypeAndShape(y, TypeAndShape(x).Type, ReducedShape(ShapeOf(x), axes, keepDims));
        return y;
    }

    /// <summary><c>Where(condition, x, y)</c> (<c>torch.where</c>): x where the bool <paramref name="condition"/> holds, else y; broadcasting, the result has x's element type.</summary>
    public string Where(string condition, string x, string y)
    {
        var r = Op("Where", [condition, x, y]);
        var (sc, sx, sy) = (ShapeOf(condition), ShapeOf(x), ShapeOf(y));
        SetTypeAndShape(r, TypeAndShape(x).Type, sc is not null && sx is not null && sy is not null ? BroadcastShape(BroadcastShape(sc, sx), sy) : null);
        return r;
    }

    /// <summary>The size of dim <paramref name="axis"/> of <paramref name="x"/> at run time: <c>Shape(start = axis, end = axis + 1)</c>, an int64 [1] value.</summary>
    public string DimSize(string x, int axis)
    {
        var y = Op("Shape", [x], OnnxAttribute.Of("start", (long)axis), OnnxAttribute.Of("end", (long)axis + 1));
        SetTypeAndShape(y, OnnxElementType.Int64, [1]);
        return y;
    }

    /// <summary>
    /// Sequence lengths clamped to [1, T] after integer division by <paramref name="divisor"/>: an int64 [B] value
    /// <c>min(max(⌊lengths / divisor⌋, 1), T)</c>, T read at run time from dim <paramref name="timeAxis"/> of
    /// <paramref name="sequence"/>. <paramref name="lengths"/> is int32 or int64 [B], non-negative (ONNX integer
    /// <c>Div</c> truncates, which is the floor for non-negative values).
    /// </summary>
    public string ClampedLengths(string lengths, int divisor, string sequence, int timeAxis)
    {
        var len = TypeAndShape(lengths).Type == OnnxElementType.Int64 ? lengths : Cast(lengths, OnnxElementType.Int64);
        if (divisor != 1) len = Op("Div", [len, Int64Constant([divisor], scalar: true)]);
        var lo = Op("Max", [len, Int64Constant([1], scalar: true)]);
        var y = Op("Min", [lo, DimSize(sequence, timeAxis)]);
        SetTypeAndShape(y, OnnxElementType.Int64, ShapeOf(lengths));
        return y;
    }

    /// <summary>
    /// The valid-step mask of a batch of sequences: bool [B, T], true where t &lt; <paramref name="lengths"/>[b] (the
    /// complement of <see cref="PaddingMask"/>); <paramref name="lengths"/> is an int64 [B] value (e.g. from
    /// <see cref="ClampedLengths"/>), T is read at run time from dim <paramref name="timeAxis"/> of <paramref name="sequence"/>.
    /// </summary>
    public string ValidMask(string lengths, string sequence, int timeAxis)
    {
        var t = Op("Squeeze", [DimSize(sequence, timeAxis), Int64Constant([0])]);
        var steps = Op("Range", [Int64Constant([0], scalar: true), t, Int64Constant([1], scalar: true)]);   // [T]
        var len64 = TypeAndShape(lengths).Type == OnnxElementType.Int64 ? lengths : Cast(lengths, OnnxElementType.Int64);
        var mask = Op("Less", [Op("Unsqueeze", [steps, Int64Constant([0])]), Op("Unsqueeze", [len64, Int64Constant([1])])]); // [1,T] < [B,1]
        var seqShape = ShapeOf(sequence);
        SetTypeAndShape(mask, OnnxElementType.Bool, [ShapeOf(lengths)?[0] ?? OnnxDim.Unknown, seqShape is not null && timeAxis < seqShape.Count ? seqShape[timeAxis] : OnnxDim.Unknown]);
        return mask;
    }

    /// <summary>
    /// 1-D average pooling over the last axis of [N, C, L] with window and stride <paramref name="window"/> (no padding,
    /// floor mode): the mean of each run of <paramref name="window"/> steps, [N, C, ⌊L / window⌋] — <c>F.avg_pool1d(x, w)</c>.
    /// </summary>
    public string AveragePool1d(string x, int window)
    {
        CheckRank(x, 3, "AveragePool1d");
        var y = Op("AveragePool", [x], OnnxAttribute.Of("kernel_shape", new long[] { window }), OnnxAttribute.Of("strides", new long[] { window }),
            OnnxAttribute.Of("pads", 0L, 0L), OnnxAttribute.Of("ceil_mode", 0L));
        var s = ShapeOf(x);
        SetShape(y, s is null ? null : [s[0], s[1], WindowOutput(s[2], window, window, 0)]);
        return y;
    }

    /// <summary><c>ReduceSum</c> over <paramref name="axes"/> (axes an input since opset 13).</summary>
    public string ReduceSum(string x, long[] axes, bool keepDims)
    {
        var y = Op("ReduceSum", [x, Int64Constant(axes)], OnnxAttribute.Of("keepdims", keepDims ? 1L : 0L));
        SetShape(y, ReducedShape(ShapeOf(x), axes, keepDims));
        return y;
    }

    private static IReadOnlyList<OnnxDim>? ReducedShape(IReadOnlyList<OnnxDim>? s, long[] axes, bool keep)
    {
        if (s is null) return null;
        var norm = axes.Select(a => a < 0 ? a + s.Count : a).ToHashSet();
        return keep ? s.Select((d, i) => norm.Contains(i) ? OnnxDim.Fixed(1) : d).ToArray() : s.Where((_, i) => !norm.Contains(i)).ToArray();
    }

    /// <summary><c>Slice</c> of <paramref name="x"/> along <paramref name="axes"/> from <paramref name="starts"/> to <paramref name="ends"/> (exclusive).</summary>
    public string Slice(string x, long[] starts, long[] ends, long[] axes)
    {
        var y = Op("Slice", [x, Int64Constant(starts), Int64Constant(ends), Int64Constant(axes)]);
        if (ShapeOf(x) is { } s)
        {
            var dims = s.ToArray();
            for (int i = 0; i < axes.Length; i++)
            {
                int a = (int)axes[i];
                dims[a] = dims[a].IsFixed && starts[i] >= 0 && ends[i] >= starts[i]
                    ? OnnxDim.Fixed((int)(Math.Min(ends[i], dims[a].Value!.Value) - Math.Min(starts[i], dims[a].Value!.Value)))
                    : OnnxDim.Unknown;
            }
            SetShape(y, dims);
        }
        return y;
    }

    /// <summary><c>Gather</c> of the single index <paramref name="index"/> along <paramref name="axis"/> (that axis disappears, like <c>x.select(axis, index)</c>).</summary>
    public string Select(string x, long axis, long index)
    {
        var y = Op("Gather", [x, Int64Constant([index], scalar: true)], OnnxAttribute.Of("axis", axis));
        SetShape(y, ShapeOf(x)?.Where((_, i) => i != axis).ToArray());
        return y;
    }

    /// <summary><c>Concat</c> along <paramref name="axis"/>.</summary>
    public string Concat(IReadOnlyList<string> values, long axis)
    {
        var y = Op("Concat", values, OnnxAttribute.Of("axis", axis));
        var shapes = values.Select(ShapeOf).ToArray();
        if (shapes.All(s => s is not null) && shapes.Select(s => s!.Count).Distinct().Count() == 1)
        {
            var dims = shapes[0]!.ToArray();
            int a = (int)(axis < 0 ? axis + dims.Length : axis);
            dims[a] = shapes.All(s => s![a].IsFixed) ? OnnxDim.Fixed(shapes.Sum(s => s![a].Value!.Value)) : OnnxDim.Unknown;
            SetShape(y, dims);
        }
        return y;
    }

    /// <summary><c>Cast</c> to <paramref name="to"/>.</summary>
    public string Cast(string x, OnnxElementType to)
    {
        var y = Op("Cast", [x], OnnxAttribute.Of("to", (long)to));
        SetTypeAndShape(y, to, ShapeOf(x));
        return y;
    }

    /// <summary>
    /// The padding mask of a batch of sequences: bool [B, T], true where t ≥ lengths[b] (PyTorch's
    /// <c>key_padding_mask</c> convention, <see cref="F.LengthsToPaddingMask"/>). <paramref name="lengths"/> is an int32
    /// or int64 [B] value; T is read at run time from dim <paramref name="timeAxis"/> of <paramref name="sequence"/>.
    /// Built once per (lengths, sequence, axis) and shared.
    /// </summary>
    public string PaddingMask(string lengths, string sequence, int timeAxis)
    {
        if (_masks.TryGetValue((lengths, sequence, timeAxis), out var cached)) return cached;
        var t = Op("Shape", [sequence], OnnxAttribute.Of("start", (long)timeAxis), OnnxAttribute.Of("end", (long)timeAxis + 1)); // [1] int64
        var tScalar = Op("Squeeze", [t, Int64Constant([0])]);
        var steps = Op("Range", [Int64Constant([0], scalar: true), tScalar, Int64Constant([1], scalar: true)]);   // [T]
        var len64 = TypeAndShape(lengths).Type == OnnxElementType.Int64 ? lengths : Cast(lengths, OnnxElementType.Int64);
        var mask = Op("GreaterOrEqual", [Op("Unsqueeze", [steps, Int64Constant([0])]), Op("Unsqueeze", [len64, Int64Constant([1])])]); // [1,T] ≥ [B,1]
        var seqShape = ShapeOf(sequence);
        SetTypeAndShape(mask, OnnxElementType.Bool, [ShapeOf(lengths)?[0] ?? OnnxDim.Unknown, seqShape is not null && timeAxis < seqShape.Count ? seqShape[timeAxis] : OnnxDim.Unknown]);
        return _masks[(lengths, sequence, timeAxis)] = mask;
    }

    /// <summary><c>Where(mask, −∞, x)</c>: PyTorch's <c>masked_fill(mask, -inf)</c> before a softmax.</summary>
    public string MaskedFillNegativeInfinity(string x, string mask)
    {
        var y = Op("Where", [mask, FloatConstant(float.NegativeInfinity), x]);
        SetShape(y, ShapeOf(x));
        return y;
    }

    /// <summary>
    /// y = x·Wᵀ + b over the last dim (<c>nn.Linear</c>): <c>Gemm(transB = 1)</c> with <paramref name="weight"/> [out, in]
    /// as stored when x is known to be 2-D, else <c>MatMul</c> with a transposed copy of the weight (initializer
    /// <c>scope.&lt;weightName&gt;_t</c>) and <c>Add</c>. Output shape [..., out].
    /// </summary>
    public string LinearOp(string x, Tensor weight, Tensor? bias, string weightName = "weight", string biasName = "bias")
    {
        int outF = weight.Shape[0], inF = weight.Shape[1];
        var s = ShapeOf(x);
        string y;
        if (s is { Count: 2 })
        {
            var inputs = new List<string> { x, Initializer(weightName, weight) };
            if (bias is not null) inputs.Add(Initializer(biasName, bias));
            y = Op("Gemm", inputs, OnnxAttribute.Of("transB", 1L));
        }
        else
        {
            var wt = new float[inF * outF];
            var w = weight.Data;
            for (int o = 0; o < outF; o++)
                for (int i = 0; i < inF; i++) wt[i * outF + o] = w[o * inF + i];
            y = Op("MatMul", [x, Initializer(weightName + "_t", wt, inF, outF)]);
            if (bias is not null) y = Op("Add", [y, Initializer(biasName, bias)]);
        }
        SetShape(y, s is null ? null : [.. s.Take(s.Count - 1), outF]);
        return y;
    }

    /// <summary>Checks that <paramref name="value"/> has rank <paramref name="rank"/> when the rank is known.</summary>
    /// <exception cref="OnnxExportException">A known, different rank.</exception>
    public void CheckRank(string value, int rank, string layer)
    {
        if (RankOf(value) is int r && r != rank)
            throw new OnnxExportException($"{layer} at '{Scope}' expects a rank-{rank} input, got '{value}' with shape {OnnxDim.Format(ShapeOf(value))}");
    }

    /// <summary>Output size of a convolution or pooling window along one axis: ⌊(n + 2p − k)/s⌋ + 1 when n is fixed, else unknown.</summary>
    public static OnnxDim WindowOutput(OnnxDim n, int kernel, int stride, int padding)
        => n.Value is int v ? OnnxDim.Fixed(Math.Max(0, (v + 2 * padding - kernel) / stride + 1)) : OnnxDim.Unknown;

    /// <summary><c>Conv</c> (groups 1, dilation 1, symmetric zero padding) over the trailing <paramref name="kernel"/>.Length axes, weight and bias as stored.</summary>
    public string ConvOp(string x, Tensor weight, Tensor? bias, int[] kernel, int[] strides, int[] pads)
    {
        var ins = new List<string> { x, Initializer("weight", weight) };
        if (bias is not null) ins.Add(Initializer("bias", bias));
        var y = Op("Conv", ins,
            OnnxAttribute.Of("kernel_shape", kernel.Select(k => (long)k).ToArray()),
            OnnxAttribute.Of("strides", strides.Select(k => (long)k).ToArray()),
            OnnxAttribute.Of("pads", pads.Concat(pads).Select(k => (long)k).ToArray()));
        var s = ShapeOf(x);
        SetShape(y, s is null ? null : [s[0], weight.Shape[0], .. kernel.Select((k, i) => WindowOutput(s[2 + i], k, strides[i], pads[i]))]);
        return y;
    }

    /// <summary>A 2-D pooling node (<c>MaxPool</c>/<c>AveragePool</c>, floor mode) of a layer with one input [N, C, H, W].</summary>
    public string PoolOp(string opType, IReadOnlyList<string> inputs, string layer, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, params OnnxAttribute[] extra)
    {
        CheckInputs(inputs, 1, 0, layer + "(x)");
        var x = inputs[0];
        CheckRank(x, 4, layer);
        var y = Op(opType, [x],
        [
            OnnxAttribute.Of("kernel_shape", (long)kernel.H, kernel.W),
            OnnxAttribute.Of("strides", (long)stride.H, stride.W),
            OnnxAttribute.Of("pads", (long)padding.H, padding.W, padding.H, padding.W),
            OnnxAttribute.Of("ceil_mode", 0L),
            .. extra,
        ]);
        var s = ShapeOf(x);
        SetShape(y, s is null ? null : [s[0], s[1], WindowOutput(s[2], kernel.H, stride.H, padding.H), WindowOutput(s[3], kernel.W, stride.W, padding.W)]);
        return y;
    }
}
