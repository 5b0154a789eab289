namespace HarmoniousFeedback.Nn;

/// <summary>
/// <c>nn.LayerNorm</c> over the last dim: y = (x − mean)/√(var + eps)·weight + bias, var biased.
/// <c>weight</c> (ones) and <c>bias</c> (zeros) have shape [normalized].
/// </summary>
public sealed class LayerNorm : UnaryModule
{
    public int NormalizedShape { get; }
    public float Eps { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public LayerNorm(int normalizedShape, float eps = 1e-5f)
    {
        NormalizedShape = normalizedShape; Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Ones(normalizedShape));
        Bias = RegisterParameter("bias", Tensor.Zeros(normalizedShape));
    }
    public override Tensor Forward(Tensor x) => F.LayerNorm(x, Weight, Bias, Eps);
}
