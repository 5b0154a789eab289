using System.Numerics.Tensors;

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
        if (Parameters.Count == 0) throw new ArgumentException("optimizer got an empty parameter list", nameof(parameters));
        if (!(lr >= 0)) throw new ArgumentOutOfRangeException(nameof(lr), $"lr = {lr} must be ≥ 0");
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

/// <summary>
/// SGD with momentum (PyTorch <c>torch.optim.SGD</c>): g = grad + wd·p; buf = g at the first step, else
/// buf = μ·buf + (1 − dampening)·g; d = g + μ·buf (Nesterov) or buf; p −= lr·d.
/// </summary>
public sealed class SGD : Optimizer
{
    public double Momentum { get; }
    public double Dampening { get; }
    public double WeightDecay { get; }
    public bool Nesterov { get; }
    private readonly float[][] _buf;
    private readonly bool[] _hasBuf;

    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, lr)
    {
        new OptionsValidator(nameof(SGD)).InRange("momentum", momentum, 0, 1).InRange("dampening", dampening, 0, 1).InRange("weight_decay", weightDecay, 0, double.MaxValue)
            .Check(!nesterov || (momentum > 0 && dampening == 0), $"nesterov needs momentum > 0 and dampening = 0 (momentum = {momentum}, dampening = {dampening})").ThrowIfAny();
        Momentum = momentum; Dampening = dampening; WeightDecay = weightDecay; Nesterov = nesterov;
        _buf = Parameters.Select(p => new float[p.Count]).ToArray();
        _hasBuf = new bool[Parameters.Count];
    }

    protected override void Update(int index, float[] p, float[] grad)
    {
        float wd = (float)WeightDecay, mu = (float)Momentum, damp = 1f - (float)Dampening, lr = (float)Lr;
        var buf = _buf[index];
        bool first = !_hasBuf[index];
        _hasBuf[index] = true;
        for (int i = 0; i < p.Length; i++)
        {
            float g = grad[i];
            if (wd != 0) g += wd * p[i];
            float d = g;
            if (mu != 0)
            {
                buf[i] = first ? g : mu * buf[i] + damp * g;
                d = Nesterov ? g + mu * buf[i] : buf[i];
            }
            p[i] -= lr * d;
        }
    }

    public override IReadOnlyDictionary<string, float[]> State()
    {
        var d = new Dictionary<string, float[]>();
        for (int i = 0; i < _buf.Length; i++) d[$"{i}.momentum_buffer"] = _buf[i];
        return d;
    }

    protected override void OnStateLoaded(IReadOnlyDictionary<string, float[]> state)
    {
        for (int i = 0; i < _hasBuf.Length; i++) _hasBuf[i] = StepCount > 0;
    }
}

/// <summary>
/// Adam (<c>torch.optim.Adam</c>, coupled L2) and, with <c>decoupled</c>, AdamW. Per step t:
/// AdamW first p ← p·(1 − lr·wd); Adam uses g = grad + wd·p. Then m = β₁m + (1−β₁)g, v = β₂v + (1−β₂)g²,
/// p −= lr/(1−β₁ᵗ)·m/(√v/√(1−β₂ᵗ) + eps) — eps is added after bias-correcting √v, as PyTorch does.
/// </summary>
public class Adam : Optimizer
{
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }
    public bool Decoupled { get; }
    private readonly float[][] _m, _v;
    private readonly long[] _steps;

    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this(parameters, lr, beta1, beta2, eps, weightDecay, false) { }

    protected Adam(IEnumerable<Tensor> parameters, double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupled)
        : base(parameters, lr)
    {
        new OptionsValidator(decoupled ? "AdamW" : "Adam").InRange("beta1", beta1, 0, 0.999999999).InRange("beta2", beta2, 0, 0.999999999)
            .InRange("eps", eps, 0, double.MaxValue).InRange("weight_decay", weightDecay, 0, double.MaxValue).ThrowIfAny();
        Beta1 = beta1; Beta2 = beta2; Eps = eps; WeightDecay = weightDecay; Decoupled = decoupled;
        _m = Parameters.Select(p => new float[p.Count]).ToArray();
        _v = Parameters.Select(p => new float[p.Count]).ToArray();
        _steps = new long[Parameters.Count];
    }

    protected override void Update(int index, float[] p, float[] grad)
    {
        long t = ++_steps[index];
        // (1 − β) formed in double then rounded once, as PyTorch passes the Python float to addcmul_/lerp_
        float b1 = (float)Beta1, b2 = (float)Beta2, wd = (float)WeightDecay, omb1 = (float)(1 - Beta1), omb2 = (float)(1 - Beta2);
        if (Decoupled && wd != 0)
        {
            float f = (float)(1 - Lr * WeightDecay);
            TensorPrimitives.Multiply(p, f, p);
        }
        double bc1 = 1 - Math.Pow(Beta1, t);
        double bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, t));
        float stepSize = (float)(Lr / bc1);
        float invBc2 = (float)bc2Sqrt, eps = (float)Eps;
        var m = _m[index]; var v = _v[index];
        for (int i = 0; i < p.Length; i++)
        {
            float g = grad[i];
            if (!Decoupled && wd != 0) g += wd * p[i];
            m[i] = m[i] * b1 + omb1 * g;
            v[i] = v[i] * b2 + omb2 * g * g;
            float denom = MathF.Sqrt(v[i]) / invBc2 + eps;
            p[i] -= stepSize * (m[i] / denom);
        }
    }

    public override IReadOnlyDictionary<string, float[]> State()
    {
        var d = new Dictionary<string, float[]>();
        for (int i = 0; i < _m.Length; i++) { d[$"{i}.exp_avg"] = _m[i]; d[$"{i}.exp_avg_sq"] = _v[i]; }
        return d;
    }

    protected override void OnStateLoaded(IReadOnlyDictionary<string, float[]> state)
    {
        for (int i = 0; i < _steps.Length; i++) _steps[i] = StepCount;
    }
}

/// <summary>AdamW (<c>torch.optim.AdamW</c>): decoupled weight decay p ← p·(1 − lr·wd) before the Adam step. Default wd 0.01.</summary>
public sealed class AdamW : Adam
{
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, true) { }
}

/// <summary>Gradient utilities.</summary>
public static class GradUtils
{
    /// <summary>
    /// <c>clip_grad_norm_</c> (L2): total = √(Σ over tensors Σ g²); coef = min(1, maxNorm/(total + 1e-6)); g ← g·coef.
    /// Returns total (before clipping). Accumulated in double in a fixed order.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        var grads = parameters.Where(p => p.Grad is not null).Select(p => p.Grad!).ToList();
        double sq = 0;
        foreach (var g in grads) foreach (var v in g.Data) sq += (double)v * v;
        double total = Math.Sqrt(sq);
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1)
            foreach (var g in grads) TensorPrimitives.Multiply(g.Data, (float)coef, g.Data);
        return total;
    }

    /// <summary>True when every element of every gradient is finite.</summary>
    public static bool AllFinite(IEnumerable<Tensor> parameters)
    {
        foreach (var p in parameters)
            if (p.Grad is { } g)
                foreach (var v in g.Data) if (!float.IsFinite(v)) return false;
        return true;
    }
}
