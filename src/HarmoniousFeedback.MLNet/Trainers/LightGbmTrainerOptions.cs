using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;

namespace HarmoniousFeedback.MLNet.Trainers;

/// <summary>
/// ML.NET's LightGBM multiclass trainer (<c>mlContext.MulticlassClassification.Trainers.LightGbm</c>,
/// <c>LightGbmMulticlassTrainer.Options</c>; gradient-boosted trees, softmax objective, class probabilities in
/// <c>Score</c>). Null means ML.NET's automatic choice, as in ML.NET; <c>Deterministic</c> is always on.
/// </summary>
public sealed record LightGbmTrainerOptions : MlNetTrainerOptions
{
    public override string ModelName => "mlnet-lightgbm";

    /// <summary>Boosting rounds (1 – 100,000). ML.NET default 100.</summary>
    public int NumberOfIterations { get; init; } = 100;

    /// <summary>Shrinkage (0, 1]; null = ML.NET's automatic value.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Maximum leaves per tree (2 – 131,072); null = automatic.</summary>
    public int? NumberOfLeaves { get; init; }

    /// <summary>Minimum examples in a leaf (1 – 1,000,000); null = automatic. Small data sets need small values.</summary>
    public int? MinimumExampleCountPerLeaf { get; init; }

    private protected override void AddProblems(OptionsValidator v)
    {
        v.InRange(nameof(NumberOfIterations), NumberOfIterations, 1, 100_000);
        if (LearningRate is double lr) v.Check(lr > 0 && lr <= 1, $"{nameof(LearningRate)} = {lr} must be in (0, 1]");
        if (NumberOfLeaves is int l) v.InRange(nameof(NumberOfLeaves), l, 2, 131_072);
        if (MinimumExampleCountPerLeaf is int m) v.InRange(nameof(MinimumExampleCountPerLeaf), m, 1, 1_000_000);
    }

    internal override IEstimator<ITransformer> CreateTrainer(MLContext ml, string labelColumnName, string featureColumnName)
        => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NumberOfIterations = NumberOfIterations,
            LearningRate = LearningRate,
            NumberOfLeaves = NumberOfLeaves,
            MinimumExampleCountPerLeaf = MinimumExampleCountPerLeaf,
            NumberOfThreads = NumberOfThreads,
            Seed = Seed,
            Deterministic = true,
            Silent = true,
        });
}
