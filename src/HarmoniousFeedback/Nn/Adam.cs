using System.Numerics.Tensors;

namespace HarmoniousFeedback.Nn;

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
