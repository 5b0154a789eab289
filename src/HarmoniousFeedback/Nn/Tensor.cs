using System.Numerics.Tensors;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// A dense float32 tensor with reverse-mode automatic differentiation, in the shape of PyTorch's <c>torch.Tensor</c>.
/// Storage is a managed <c>float[]</c> in row-major (C) order and always contiguous; shape-only operations
/// (<see cref="Reshape"/>, <see cref="View"/>) share the storage, layout-changing ones (<see cref="Permute"/>,
/// <see cref="Transpose"/>, <see cref="Narrow"/>) copy. Tensors are GC-owned: never dispose them.
/// </summary>
/// <remarks>
/// Autograd: an operation on tensors of which at least one has <see cref="RequiresGrad"/> (and outside a
/// <see cref="NoGrad"/> scope) records a backward function on its result. <see cref="Backward(Tensor?)"/> walks the
/// recorded graph in reverse topological order, accumulates d(root)/d(leaf) into every leaf's <see cref="Grad"/>
/// (adding to what is there, as PyTorch does) and then releases the graph.
/// </remarks>
public sealed partial class Tensor
{
    internal float[] _data;
    private readonly int[] _shape;

    // autograd
    private bool _requiresGrad;
    internal Tensor[]? _parents;
    internal Action<float[]>? _backward;
    internal float[]? _gradBuf;
    internal string? _opName;

    [ThreadStatic] private static int s_noGradDepth;

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor of the given shape.</summary>
    /// <exception cref="ShapeMismatchException">The element count of <paramref name="shape"/> differs from the data length.</exception>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ShapeMismatchException($"negative dimension in shape {ShapeString(shape)}");
            n *= d;
        }
        if (n != data.Length)
            throw new ShapeMismatchException($"shape {ShapeString(shape)} holds {n} elements but the data has {data.Length}");
        _data = data;
        _shape = (int[])shape.Clone();
    }

    // ---------------------------------------------------------------- construction

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[Numel(shape)], shape);
    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);
    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var d = new float[Numel(shape)];
        Array.Fill(d, value);
        return new Tensor(d, shape);
    }
    /// <summary>A 0-d tensor holding one value.</summary>
    public static Tensor Scalar(float value) => new([value]);
    /// <summary>Copies <paramref name="data"/> into a new tensor of the given shape.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> data, params int[] shape) => new(data.ToArray(), shape);
    /// <summary>Standard-normal samples (<see cref="SplitMix64.NextGaussian"/>) from the seeded <paramref name="rng"/>.</summary>
    public static Tensor Randn(SplitMix64 rng, params int[] shape)
    {
        var d = new float[Numel(shape)];
        for (int i = 0; i < d.Length; i++) d[i] = (float)rng.NextGaussian();
        return new Tensor(d, shape);
    }
    /// <summary>Uniform samples in [<paramref name="low"/>, <paramref name="high"/>) from the seeded <paramref name="rng"/>.</summary>
    public static Tensor Uniform(SplitMix64 rng, float low, float high, params int[] shape)
    {
        var d = new float[Numel(shape)];
        for (int i = 0; i < d.Length; i++) d[i] = low + (high - low) * (float)rng.NextDouble();
        return new Tensor(d, shape);
    }

    // ---------------------------------------------------------------- shape

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape => _shape;
    internal int[] ShapeArray => _shape;
    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;
    /// <summary>Total number of elements.</summary>
    public int Count => _data.Length;
    /// <summary>Row-major strides in elements (the tensor is always contiguous).</summary>
    public int[] Strides
    {
        get
        {
            var s = new int[_shape.Length];
            int acc = 1;
            for (int i = _shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= _shape[i]; }
            return s;
        }
    }
    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Size(int dim) => _shape[NormDim(dim)];

    /// <summary>The storage, row-major. Writing to it bypasses autograd.</summary>
    public Span<float> Data => _data;
    /// <summary>A copy of the elements, row-major.</summary>
    public float[] ToArray() => (float[])_data.Clone();
    /// <summary>The value of a one-element tensor.</summary>
    public float Item()
    {
        if (_data.Length != 1) throw new ShapeMismatchException($"Item() needs one element, tensor has shape {ShapeString(_shape)}");
        return _data[0];
    }

    /// <summary>Element access by full index.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[params int[] index]
    {
        get => _data[Offset(index)];
        set => _data[Offset(index)] = value;
    }

    private int Offset(int[] index)
    {
        if (index.Length != _shape.Length) throw new ShapeMismatchException($"index of rank {index.Length} for tensor of shape {ShapeString(_shape)}");
        int off = 0;
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)_shape[i]) throw new InvalidIndexException($"index of dim {i}", index[i], $"[0, {_shape[i]}) (shape {ShapeString(_shape)})");
            off = off * _shape[i] + index[i];
        }
        return off;
    }

    internal int NormDim(int dim)
    {
        int d = dim < 0 ? dim + _shape.Length : dim;
        if (d < 0 || d >= _shape.Length) throw new ShapeMismatchException($"dim {dim} out of range for tensor of shape {ShapeString(_shape)}");
        return d;
    }

    internal static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return checked((int)n);
    }

    /// <summary>"[2, 3, 4]".</summary>
    public static string ShapeString(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";
    public override string ToString() => $"Tensor{ShapeString(_shape)}" + (_opName is null ? "" : $" (grad_fn={_opName})");

    // ---------------------------------------------------------------- autograd

    /// <summary>Whether gradients are tracked for this tensor. Only leaves (not results of tracked ops) can be set.</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!value && _backward is not null) throw new AutogradException("cannot clear RequiresGrad on a non-leaf tensor (the output of an op); use Detach() for a copy without history");
            _requiresGrad = value;
        }
    }

    /// <summary>Accumulated gradient of a leaf after <see cref="Backward(Tensor?)"/>; null until the first backward.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>True for tensors created by the user (not by a tracked operation).</summary>
    public bool IsLeaf => _backward is null;

    /// <summary>Fluent form of setting <see cref="RequiresGrad"/>.</summary>
    public Tensor RequiresGrad_(bool value = true) { RequiresGrad = value; return this; }

    /// <summary>A tensor sharing this storage but cut from the graph.</summary>
    public Tensor Detach() => new(_data, _shape);

    /// <summary>A deep copy (new storage), not tracked.</summary>
    public Tensor Clone() => new((float[])_data.Clone(), _shape);

    /// <summary>Sets <see cref="Grad"/> to zero (keeps the buffer) or null.</summary>
    public void ZeroGrad(bool setToNull = false)
    {
        if (setToNull) Grad = null;
        else Grad?._data.AsSpan().Clear();
    }

    /// <summary>Is gradient recording on for this thread?</summary>
    public static bool IsGradEnabled => s_noGradDepth == 0;

    /// <summary>Disables gradient recording until the returned scope is disposed: <c>using (Tensor.NoGrad()) { ... }</c>.</summary>
    public static NoGradScope NoGrad() { s_noGradDepth++; return new NoGradScope(); }

    /// <summary>The scope returned by <see cref="NoGrad"/>.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        public void Dispose() => s_noGradDepth--;
    }

    /// <summary>
    /// A differentiable operation defined outside the engine (PyTorch's <c>torch.autograd.Function</c>): the caller has
    /// computed the forward values <paramref name="output"/> of shape <paramref name="shape"/> from
    /// <paramref name="inputs"/> (reading their <see cref="Data"/>); this wraps them as a tensor that records
    /// <paramref name="backward"/> on the autograd tape when recording is on (no <see cref="NoGrad"/> scope) and at least
    /// one input has <see cref="RequiresGrad"/>. The recipe, with an example, is in docs/nn.md ("Adding an op").
    /// </summary>
    /// <param name="name">The op's name: shown as <c>grad_fn</c> by <see cref="ToString"/> and in <see cref="OpProfiler"/> reports.</param>
    /// <param name="output">The forward values, row-major; the result takes ownership (no copy): do not change it afterwards.</param>
    /// <param name="shape">The result's shape; its element count must equal <c>output.Length</c>.</param>
    /// <param name="inputs">The tensors the output was computed from; do not change their data before the backward pass.</param>
    /// <param name="backward">
    /// Called once during <see cref="Backward(Tensor?)"/> with dL/d(output) (a tensor of <paramref name="shape"/>) and
    /// returning dL/d(input) for every input, in order: a tensor of that input's shape, or null for an input that gets no
    /// gradient (e.g. one that does not require grad, or an index). It runs inside <see cref="NoGrad"/>, so it may use the
    /// ordinary tensor operations; the engine adds the returned gradients to the inputs (accumulating across uses).
    /// </param>
    /// <exception cref="ShapeMismatchException"><paramref name="shape"/> does not hold <c>output.Length</c> elements.</exception>
    /// <exception cref="AutogradException">(during the backward pass) <paramref name="backward"/> returned a different number
    /// of gradients than there are inputs, or a gradient whose shape differs from its input's.</exception>
    public static Tensor FromOp(string name, float[] output, int[] shape, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(backward);
        var parents = (Tensor[])inputs.Clone();
        for (int i = 0; i < parents.Length; i++)
            if (parents[i] is null) throw new ArgumentNullException(nameof(inputs), $"op '{name}': inputs[{i}] is null");
        var outShape = (int[])shape.Clone();
        return Result(output, outShape, name, parents, g =>
        {
            Tensor?[] grads;
            using (NoGrad()) grads = backward(new Tensor(g, outShape));
            if (grads is null || grads.Length != parents.Length)
                throw new AutogradException($"op '{name}': backward returned {grads?.Length.ToString() ?? "null"} gradients for {parents.Length} inputs; return one per input (null for none)");
            for (int i = 0; i < parents.Length; i++)
            {
                var gi = grads[i];
                if (gi is null) continue;
                if (!gi._shape.AsSpan().SequenceEqual(parents[i]._shape))
                    throw new AutogradException($"op '{name}': the gradient for input {i} has shape {ShapeString(gi._shape)} but the input has shape {ShapeString(parents[i]._shape)}");
                parents[i].AccumulateGrad(gi._data);
            }
        });
    }

    /// <summary>
    /// Creates the result of a built-in operation (the engine's fast path behind <see cref="FromOp"/>: gradients go
    /// straight into the parents' buffers, no per-call checks). When recording is on and any parent requires grad, the result requires
    /// grad and <paramref name="backward"/> (which receives dL/d(result) and calls <see cref="AccumulateGrad"/> on
    /// the parents) is recorded.
    /// </summary>
    internal static Tensor Result(float[] data, int[] shape, string op, Tensor[] parents, Action<float[]>? backward)
    {
        var t = new Tensor(data, shape);
        if (backward is null || s_noGradDepth > 0) return t;
        bool any = false;
        foreach (var p in parents) any |= p._requiresGrad;
        if (!any) return t;
        t._requiresGrad = true;
        t._parents = parents;
        t._backward = backward;
        t._opName = op;
        OpProfiler.Current?.RecordForward(op);
        return t;
    }

    /// <summary>Adds <paramref name="g"/> (same element count) to this tensor's gradient during backward.</summary>
    internal void AccumulateGrad(ReadOnlySpan<float> g)
    {
        if (!_requiresGrad) return;
        if (_backward is null)
        {
            if (Grad is null) { Grad = new Tensor(g.ToArray(), _shape); return; }
            TensorPrimitives.Add(Grad._data, g, Grad._data);
        }
        else
        {
            if (_gradBuf is null) { _gradBuf = g.ToArray(); return; }
            TensorPrimitives.Add(_gradBuf, g, _gradBuf);
        }
    }

    /// <summary>
    /// Like <see cref="AccumulateGrad(ReadOnlySpan{float})"/> but may adopt <paramref name="g"/> as the gradient
    /// buffer instead of copying it: only for arrays the caller allocated and never touches again.
    /// </summary>
    internal void AccumulateGradOwned(float[] g)
    {
        if (!_requiresGrad) return;
        if (_backward is null)
        {
            if (Grad is null) { Grad = new Tensor(g, _shape); return; }
            TensorPrimitives.Add(Grad._data, g, Grad._data);
        }
        else
        {
            if (_gradBuf is null) { _gradBuf = g; return; }
            TensorPrimitives.Add(_gradBuf, g, _gradBuf);
        }
    }

    /// <summary>An array whose every element the caller will overwrite (skips zeroing; large ones may come from <see cref="BufferPool"/>).</summary>
    internal static float[] Uninit(int n) => BufferPool.Rent(n);

    /// <summary>Adds <paramref name="g"/> into the gradient at element offset <paramref name="offset"/>.</summary>
    internal void AccumulateGradSlice(ReadOnlySpan<float> g, int offset)
    {
        if (!_requiresGrad) return;
        float[] target;
        if (_backward is null)
        {
            Grad ??= Zeros(_shape);
            target = Grad._data;
        }
        else target = _gradBuf ??= new float[_data.Length];
        var dst = target.AsSpan(offset, g.Length);
        TensorPrimitives.Add(dst, g, dst);
    }

    /// <summary>
    /// Reverse-mode differentiation from this tensor. A one-element tensor needs no <paramref name="gradient"/>
    /// (it is seeded with 1); otherwise pass dL/d(this). Leaves accumulate into <see cref="Grad"/>. The graph is
    /// released afterwards (PyTorch's <c>retain_graph=False</c>).
    /// </summary>
    public void Backward(Tensor? gradient = null)
    {
        if (!_requiresGrad) throw new AutogradException($"Backward() on a tensor of shape {ShapeString(_shape)} that does not require grad (no input of the computation had RequiresGrad = true, or it ran under Tensor.NoGrad())");
        float[] seed;
        if (gradient is null)
        {
            if (_data.Length != 1) throw new ShapeMismatchException($"Backward() without a gradient needs a one-element tensor, got shape {ShapeString(_shape)}");
            seed = [1f];
        }
        else
        {
            if (gradient._data.Length != _data.Length) throw new ShapeMismatchException($"gradient shape {ShapeString(gradient._shape)} does not match tensor shape {ShapeString(_shape)}");
            seed = (float[])gradient._data.Clone();
        }
        if (_backward is null) { AccumulateGrad(seed); return; }

        // iterative DFS post-order -> topological order
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor t, int i)>();
        stack.Push((this, 0));
        visited.Add(this);
        while (stack.Count > 0)
        {
            var (t, i) = stack.Pop();
            var ps = t._parents;
            if (ps is not null && i < ps.Length)
            {
                stack.Push((t, i + 1));
                var p = ps[i];
                if (p._requiresGrad && p._backward is not null && visited.Add(p)) stack.Push((p, 0));
            }
            else order.Add(t);
        }
        _gradBuf = seed;
        var profiler = OpProfiler.Current;
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var t = order[k];
            var g = t._gradBuf;
            t._gradBuf = null;
            if (g is not null)
            {
                if (profiler is null) t._backward!(g);
                else
                {
                    long t0 = System.Diagnostics.Stopwatch.GetTimestamp(), c0 = OpProfiler.CpuNow();
                    t._backward!(g);
                    profiler.RecordBackward(t._opName ?? "?", System.Diagnostics.Stopwatch.GetTimestamp() - t0, OpProfiler.CpuNow() - c0);
                }
            }
            t._backward = null;
            t._parents = null;
            t._requiresGrad = false;
        }
    }
}
