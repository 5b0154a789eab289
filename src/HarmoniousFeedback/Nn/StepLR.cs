namespace HarmoniousFeedback.Nn;

/// <summary><c>StepLR</c>: lr = lr₀·γ^⌊epoch/stepSize⌋.</summary>
public sealed class StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : ILrScheduler
{
    public int LastEpoch { get; set; }
    public void Step(double? metric = null)
    {
        LastEpoch++;
        optimizer.Lr = optimizer.InitialLr * Math.Pow(gamma, LastEpoch / stepSize);
    }
}
