namespace HarmoniousFeedback.Nn;

/// <summary><c>nn.BatchNorm2d</c> on [N, C, H, W]. See <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm2d : BatchNorm
{
    public BatchNorm2d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f) : base(numFeatures, eps, momentum, 4) { }
}
