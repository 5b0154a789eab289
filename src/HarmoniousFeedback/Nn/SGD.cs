namespace HarmoniousFeedback.Nn;

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
