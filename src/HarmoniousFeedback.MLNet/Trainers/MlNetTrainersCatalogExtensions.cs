using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;

namespace HarmoniousFeedback.MLNet.Trainers;

/// <summary>
/// The ML.NET baselines on the toolkit's catalog: <c>ctx.MulticlassClassification.Trainers.MlNetLightGbm()</c>,
/// <c>MlNetSdcaMaximumEntropy()</c>, <c>MlNetFastTreeOva()</c>. Without options, each takes its seed from the context
/// (<see cref="HfContext.NextComponentSeed"/>).
/// </summary>
public static class MlNetTrainersCatalogExtensions
{
    public static MlNetMulticlassTrainer MlNetLightGbm(this MulticlassTrainersCatalog c, string featureColumn = "Features", string labelColumn = "Label", LightGbmTrainerOptions? options = null)
        => new(options ?? new LightGbmTrainerOptions { Seed = c.Context.NextComponentSeed() }, new MulticlassColumns(featureColumn, labelColumn));

    public static MlNetMulticlassTrainer MlNetSdcaMaximumEntropy(this MulticlassTrainersCatalog c, string featureColumn = "Features", string labelColumn = "Label", SdcaMaximumEntropyTrainerOptions? options = null)
        => new(options ?? new SdcaMaximumEntropyTrainerOptions { Seed = c.Context.NextComponentSeed() }, new MulticlassColumns(featureColumn, labelColumn));

    public static MlNetMulticlassTrainer MlNetFastTreeOva(this MulticlassTrainersCatalog c, string featureColumn = "Features", string labelColumn = "Label", FastTreeOvaTrainerOptions? options = null)
        => new(options ?? new FastTreeOvaTrainerOptions { Seed = c.Context.NextComponentSeed() }, new MulticlassColumns(featureColumn, labelColumn));
}
