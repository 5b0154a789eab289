using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.MLNet.Trainers;

/// <summary>Registry entry <c>mlnet-lightgbm</c>: ML.NET's LightGBM multiclass trainer (gradient-boosted trees, softmax).</summary>
public sealed class LightGbmModelKind : MlNetModelKind<LightGbmTrainerOptions>
{
    public override string Name => "mlnet-lightgbm";
    public override string Summary => "ML.NET LightGbm multiclass (gradient-boosted trees; mlContext.MulticlassClassification.Trainers.LightGbm) on one vector or pooled sequence (docs/mlnet.md)";

    protected override LightGbmTrainerOptions ReadOptions(ParameterReader p) => new()
    {
        NumberOfIterations = p.Int("numberOfIterations", 100, "boosting rounds"),
        LearningRate = p.NullableDouble("learningRate", null, "shrinkage (null = ML.NET's automatic value)"),
        NumberOfLeaves = p.NullableInt("numberOfLeaves", null, "maximum leaves per tree (null = automatic)"),
        MinimumExampleCountPerLeaf = p.NullableInt("minimumExampleCountPerLeaf", null, "minimum examples in a leaf (null = automatic)"),
    };
}
