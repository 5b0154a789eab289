namespace HarmoniousFeedback.Nn;

/// <summary>AdamW (<c>torch.optim.AdamW</c>): decoupled weight decay p ← p·(1 − lr·wd) before the Adam step. Default wd 0.01.</summary>
public sealed class AdamW : Adam
{
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, true) { }
}
