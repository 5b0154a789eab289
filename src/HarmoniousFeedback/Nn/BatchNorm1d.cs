namespace HarmoniousFeedback.Nn;

/// <summary><c>nn.BatchNorm1d</c> on [N, C] or [N, C, L]. See <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm1d : BatchNorm
{
    public BatchNorm1d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f) : base(numFeatures, eps, momentum, 2, 3) { }
}
