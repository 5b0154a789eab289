namespace HarmoniousFeedback.Nn;

/// <summary>
/// Base of the optimizers (PyTorch <c>torch.optim</c>): one parameter group, a mutable learning rate (driven by
/// schedulers), per-parameter state tensors addressable by name for checkpoints.
/// </summary>
public abstract class Optimizer
{
    /// <summary>The parameters being optimised, in order (state keys use the index).</summary>
    public IReadOnlyList<Tensor> Parameters { get; }
    /// <summary>Current learning rate.</summary>
    public double Lr { get; set; }
    /// <summary>The learning rate at construction (schedulers start from it).</summary>
    public double InitialLr { get; }
    /// <summary>Steps taken so far.</summary>
    public long StepCount { get; protected set; }

    protected Optimizer(IEnumerable<Tensor> parameters, double lr)
    {
        Parameters = parameters.ToList();
        if (Parameters.Count == 0) throw new OptionsValidationException(GetType().Name, ["params is empty: the optimizer needs at least one parameter tensor"]);
        if (!(lr >= 0)) throw new OptionsValidationException(GetType().Name, [$"lr = {lr} must be ≥ 0"]);
        Lr = lr; InitialLr = lr;
    }

    /// <summary>One update using each parameter's <see cref="Tensor.Grad"/> (parameters without a gradient are skipped).</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad is null) continue;
            Update(i, p._data, p.Grad._data);
        }
    }

    /// <summary>Updates parameter <paramref name="index"/> in place.</summary>
    protected abstract void Update(int index, float[] p, float[] grad);

    /// <summary>Zeros every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.ZeroGrad();
    }

    /// <summary>State tensors keyed "&lt;param index&gt;.&lt;name&gt;" (e.g. "0.exp_avg"); live arrays.</summary>
    public abstract IReadOnlyDictionary<string, float[]> State();

    /// <summary>Restores state and <see cref="StepCount"/>/<see cref="Lr"/> from a checkpoint.</summary>
    public void LoadState(IReadOnlyDictionary<string, float[]> state, long stepCount, double lr)
    {
        var own = State();
        foreach (var (k, v) in state)
        {
            if (!own.TryGetValue(k, out var dst)) throw new CheckpointException($"optimizer state key '{k}' does not exist in {GetType().Name}");
            if (dst.Length != v.Length) throw new CheckpointException($"optimizer state '{k}' has {v.Length} values, expected {dst.Length}");
            v.CopyTo(dst, 0);
        }
        StepCount = stepCount; Lr = lr;
        OnStateLoaded(state);
    }

    protected virtual void OnStateLoaded(IReadOnlyDictionary<string, float[]> state) { }
}
