namespace HarmoniousFeedback.Nn;

/// <summary>
/// Base of every layer and model, in the shape of PyTorch's <c>nn.Module</c>: named parameters, buffers and
/// submodules (registration order is kept), train/eval mode, and a state dict whose keys are PyTorch's
/// (<c>lstm.weight_ih_l0</c>, <c>bn.running_mean</c>, …) so weights map one-to-one.
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = new();
    private readonly List<KeyValuePair<string, Tensor>> _buffers = new();
    private readonly List<KeyValuePair<string, Module>> _modules = new();
    private readonly List<KeyValuePair<string, NnRng>> _rngs = new();

    /// <summary>True in training mode (dropout active, batch-norm uses batch statistics).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers a trainable tensor (sets <see cref="Tensor.RequiresGrad"/>).</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        value.RequiresGrad = true;
        _parameters.Add(new(name, value));
        return value;
    }

    /// <summary>Registers a non-trainable state tensor saved in the state dict (e.g. running statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        _buffers.Add(new(name, value));
        return value;
    }

    /// <summary>Registers a child module; its entries appear as <c>name.child_entry</c>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        _modules.Add(new(name, module));
        return module;
    }

    /// <summary>Registers a random generator whose state checkpoints save (not part of the PyTorch state dict).</summary>
    protected NnRng RegisterRng(string name, NnRng rng)
    {
        _rngs.Add(new(name, rng));
        return rng;
    }

    /// <summary>All random generators, recursively, with dotted names.</summary>
    public IEnumerable<KeyValuePair<string, NnRng>> NamedRngs(string prefix = "")
    {
        foreach (var r in _rngs) yield return new(prefix + r.Key, r.Value);
        foreach (var m in _modules)
            foreach (var r in m.Value.NamedRngs(prefix + m.Key + ".")) yield return r;
    }

    /// <summary>Direct children in registration order.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => _modules;

    /// <summary>All parameters, recursively, with dotted PyTorch names.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters(string prefix = "")
    {
        foreach (var p in _parameters) yield return new(prefix + p.Key, p.Value);
        foreach (var m in _modules)
            foreach (var p in m.Value.NamedParameters(prefix + m.Key + ".")) yield return p;
    }

    /// <summary>All buffers, recursively, with dotted names.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers(string prefix = "")
    {
        foreach (var b in _buffers) yield return new(prefix + b.Key, b.Value);
        foreach (var m in _modules)
            foreach (var b in m.Value.NamedBuffers(prefix + m.Key + ".")) yield return b;
    }

    /// <summary>All parameters, recursively.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    /// <summary>Sets training (true) or evaluation (false) mode on this module and all submodules.</summary>
    public Module Train(bool mode = true)
    {
        Training = mode;
        foreach (var m in _modules) m.Value.Train(mode);
        return this;
    }

    /// <summary>Evaluation mode (<c>Train(false)</c>).</summary>
    public Module Eval() => Train(false);

    /// <summary>Clears the gradients of all parameters.</summary>
    public void ZeroGrad(bool setToNull = false)
    {
        foreach (var p in Parameters()) p.ZeroGrad(setToNull);
    }

    /// <summary>Parameters then buffers, keyed by PyTorch state_dict names. The tensors are the live ones (not copies).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>();
        foreach (var p in NamedParameters()) d[p.Key] = p.Value;
        foreach (var b in NamedBuffers()) d[b.Key] = b.Value;
        return d;
    }

    /// <summary>
    /// Copies values into this module's parameters and buffers. Shapes must match exactly. With
    /// <paramref name="strict"/>, missing or unexpected keys are an error (listing all of them).
    /// </summary>
    /// <exception cref="CheckpointException">Missing/unexpected keys (strict) or a shape mismatch.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        var problems = new List<string>();
        if (strict)
        {
            var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
            var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (missing.Count > 0) problems.Add("missing keys: " + string.Join(", ", missing));
            if (unexpected.Count > 0) problems.Add("unexpected keys: " + string.Join(", ", unexpected));
        }
        foreach (var (k, t) in own)
            if (state.TryGetValue(k, out var src) && !src.Shape.SequenceEqual(t.Shape))
                problems.Add($"{k}: checkpoint shape {Tensor.ShapeString(src.Shape)} vs model shape {Tensor.ShapeString(t.Shape)}");
        if (problems.Count > 0) throw new CheckpointException($"cannot load state dict into {GetType().Name}: " + string.Join("; ", problems));
        foreach (var (k, t) in own)
            if (state.TryGetValue(k, out var src)) src.Data.CopyTo(t.Data);
    }

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Count);
}
