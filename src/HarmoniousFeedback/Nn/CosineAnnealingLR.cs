namespace HarmoniousFeedback.Nn;

/// <summary><c>CosineAnnealingLR</c> (closed form): lr = η_min + (lr₀ − η_min)·(1 + cos(π·epoch/T_max))/2.</summary>
public sealed class CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : ILrScheduler
{
    public int LastEpoch { get; set; }
    public void Step(double? metric = null)
    {
        LastEpoch++;
        optimizer.Lr = etaMin + (optimizer.InitialLr - etaMin) * (1 + Math.Cos(Math.PI * LastEpoch / tMax)) / 2;
    }
}
