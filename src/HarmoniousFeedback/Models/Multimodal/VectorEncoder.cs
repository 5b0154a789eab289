using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>
/// Encodes one clip-level modality (a feature vector: score or performance statistics of the whole clip, MFCC mean/std)
/// into one token: z = Dropout(GELU(LayerNorm(W x + b))), x [B, F] → z [B, d] (GELU exact, erf form; LayerNorm over d,
/// eps 1e-5, as <c>torch.nn</c>). Parameter names: <c>proj.weight</c>, <c>proj.bias</c>, <c>norm.weight</c>, <c>norm.bias</c>.
/// </summary>
public sealed class VectorEncoder : Module
{
    public VectorEncoder(int inputSize, int dim, float dropout, SplitMix64 rng, int seed)
    {
        InputSize = inputSize;
        Dim = dim;
        Proj = RegisterModule("proj", new Linear(inputSize, dim, rng: rng));
        Norm = RegisterModule("norm", new LayerNorm(dim));
        Drop = RegisterModule("dropout", new Dropout(dropout, seed));
    }

    public int InputSize { get; }
    public int Dim { get; }
    public Linear Proj { get; }
    public LayerNorm Norm { get; }
    public Dropout Drop { get; }

    /// <summary>x [B, F] → z [B, d].</summary>
    public Tensor Forward(Tensor x)
    {
        if (x.Rank != 2 || x.Shape[1] != InputSize)
            throw new ShapeMismatchException($"VectorEncoder(F={InputSize}) expects x [B, {InputSize}], got {Tensor.ShapeString(x.Shape)}");
        return Drop.Forward(Norm.Forward(Proj.Forward(x)).Gelu());
    }
}
