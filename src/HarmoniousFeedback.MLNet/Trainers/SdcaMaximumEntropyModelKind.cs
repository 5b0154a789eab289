using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.MLNet.Trainers;

/// <summary>Registry entry <c>mlnet-sdca</c>: ML.NET's SDCA maximum-entropy (multinomial logistic) trainer.</summary>
public sealed class SdcaMaximumEntropyModelKind : MlNetModelKind<SdcaMaximumEntropyTrainerOptions>
{
    public override string Name => "mlnet-sdca";
    public override string Summary => "ML.NET SdcaMaximumEntropy (multinomial logistic regression by SDCA) on one vector or pooled sequence; wants normalised features (docs/mlnet.md)";

    protected override SdcaMaximumEntropyTrainerOptions ReadOptions(ParameterReader p) => new()
    {
        L2Regularization = (float?)p.NullableDouble("l2Regularization", null, "L2 weight (null = automatic)"),
        L1Regularization = (float?)p.NullableDouble("l1Regularization", null, "L1 weight (null = automatic)"),
        MaximumNumberOfIterations = p.NullableInt("maximumNumberOfIterations", null, "passes over the data (null = automatic)"),
        ConvergenceTolerance = (float)p.Double("convergenceTolerance", 0.1, "duality-gap tolerance"),
    };
}
