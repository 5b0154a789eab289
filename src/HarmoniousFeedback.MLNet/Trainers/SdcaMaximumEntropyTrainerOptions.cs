using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace HarmoniousFeedback.MLNet.Trainers;

/// <summary>
/// ML.NET's SDCA maximum-entropy (multinomial logistic regression by stochastic dual coordinate ascent;
/// <c>mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy</c>, <c>SdcaMaximumEntropyMulticlassTrainer.Options</c>;
/// softmax probabilities in <c>Score</c>). Null means ML.NET's automatic choice from the data, as in ML.NET.
/// Scale the features first (min–max or standardisation): SDCA converges slowly on raw feature ranges.
/// </summary>
public sealed record SdcaMaximumEntropyTrainerOptions : MlNetTrainerOptions
{
    public override string ModelName => "mlnet-sdca";

    /// <summary>L2 weight (≥ 0); null = automatic.</summary>
    public float? L2Regularization { get; init; }

    /// <summary>L1 threshold (≥ 0); null = automatic.</summary>
    public float? L1Regularization { get; init; }

    /// <summary>Passes over the data (1 – 100,000); null = automatic.</summary>
    public int? MaximumNumberOfIterations { get; init; }

    /// <summary>Stop when the duality gap is below this (0, 1]. ML.NET default 0.1.</summary>
    public float ConvergenceTolerance { get; init; } = 0.1f;

    private protected override void AddProblems(OptionsValidator v)
    {
        if (L2Regularization is float l2) v.Check(l2 >= 0 && float.IsFinite(l2), $"{nameof(L2Regularization)} = {l2} must be >= 0");
        if (L1Regularization is float l1) v.Check(l1 >= 0 && float.IsFinite(l1), $"{nameof(L1Regularization)} = {l1} must be >= 0");
        if (MaximumNumberOfIterations is int it) v.InRange(nameof(MaximumNumberOfIterations), it, 1, 100_000);
        v.Check(ConvergenceTolerance > 0 && ConvergenceTolerance <= 1, $"{nameof(ConvergenceTolerance)} = {ConvergenceTolerance} must be in (0, 1]");
    }

    internal override IEstimator<ITransformer> CreateTrainer(MLContext ml, string labelColumnName, string featureColumnName)
        => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            L2Regularization = L2Regularization,
            L1Regularization = L1Regularization,
            MaximumNumberOfIterations = MaximumNumberOfIterations,
            ConvergenceTolerance = ConvergenceTolerance,
            NumberOfThreads = NumberOfThreads,
        });
}
