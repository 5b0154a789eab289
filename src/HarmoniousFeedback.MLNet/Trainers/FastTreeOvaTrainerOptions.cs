using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace HarmoniousFeedback.MLNet.Trainers;

/// <summary>
/// ML.NET's FastTree (MART gradient-boosted trees) as a one-versus-all multiclass model:
/// <c>mlContext.MulticlassClassification.Trainers.OneVersusAll(mlContext.BinaryClassification.Trainers.FastTree(...))</c>,
/// one calibrated (Platt) binary model per class, probabilities normalised to sum to 1 (<c>useProbabilities: true</c>).
/// Hyperparameters are <c>FastTreeBinaryTrainer.Options</c>'s, with ML.NET's defaults.
/// </summary>
public sealed record FastTreeOvaTrainerOptions : MlNetTrainerOptions
{
    public override string ModelName => "mlnet-fasttree";

    /// <summary>Maximum leaves per tree (2 – 131,072). ML.NET default 20.</summary>
    public int NumberOfLeaves { get; init; } = 20;

    /// <summary>Trees per binary model (1 – 100,000). ML.NET default 100.</summary>
    public int NumberOfTrees { get; init; } = 100;

    /// <summary>Minimum examples in a leaf (1 – 1,000,000). ML.NET default 10; small data sets need smaller values.</summary>
    public int MinimumExampleCountPerLeaf { get; init; } = 10;

    /// <summary>Shrinkage (0, 1]. ML.NET default 0.2.</summary>
    public double LearningRate { get; init; } = 0.2;

    private protected override void AddProblems(OptionsValidator v)
    {
        v.InRange(nameof(NumberOfLeaves), NumberOfLeaves, 2, 131_072);
        v.InRange(nameof(NumberOfTrees), NumberOfTrees, 1, 100_000);
        v.InRange(nameof(MinimumExampleCountPerLeaf), MinimumExampleCountPerLeaf, 1, 1_000_000);
        v.Check(LearningRate > 0 && LearningRate <= 1, $"{nameof(LearningRate)} = {LearningRate} must be in (0, 1]");
    }

    internal override IEstimator<ITransformer> CreateTrainer(MLContext ml, string labelColumnName, string featureColumnName)
        => ml.MulticlassClassification.Trainers.OneVersusAll(
            ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                FeatureColumnName = featureColumnName,
                NumberOfLeaves = NumberOfLeaves,
                NumberOfTrees = NumberOfTrees,
                MinimumExampleCountPerLeaf = MinimumExampleCountPerLeaf,
                LearningRate = LearningRate,
                NumberOfThreads = NumberOfThreads,
                Seed = Seed,
            }),
            labelColumnName: labelColumnName, useProbabilities: true);
}
