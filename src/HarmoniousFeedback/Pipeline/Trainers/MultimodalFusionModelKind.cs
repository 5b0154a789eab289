using HarmoniousFeedback.Models.Multimodal;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Registry entry <c>fusion</c>: <see cref="MultimodalFusion"/> — one encoder per feature view (LSTM + attention for
/// segment sequences, an MLP for clip vectors), fused by self-attention over modality tokens, by concatenation, or early
/// (inputs concatenated). Reads by default the audio LLD, score and performance segment sequences; any 1–8 sequence or
/// vector views (<c>"views": ["lld", "score", "performance", "score-clip", "performance-clip", "mfcc"]</c>).
/// docs/multimodal.md has the formulas, shapes and the training protocol.
/// </summary>
public sealed class MultimodalFusionModelKind : ModelKind<MultimodalFusionOptions>
{
    public override string Name => "fusion";
    public override string Summary => "multimodal fusion: one encoder per view (LSTM+attention for sequences, MLP for clip vectors), self-attention over modality tokens, concatenation or early fusion (docs/multimodal.md)";

    protected override MultimodalFusionOptions ReadOptions(ParameterReader p)
    {
        var d = new MultimodalFusionOptions();
        return new MultimodalFusionOptions
        {
            Fusion = p.Enum("fusion", d.Fusion, "attention: self-attention over modality tokens; concat: tokens concatenated; early: inputs concatenated into one encoder"),
            Dim = p.Int("dim", d.Dim, "token width of every encoder and of the fusion layers", 2, 1024),
            Heads = p.Int("heads", d.Heads, "attention heads of the fusion layers (dim must be divisible by it)", 1, 64),
            FusionLayers = p.Int("fusionLayers", d.FusionLayers, "Transformer layers over the modality tokens", 1, 8),
            Dropout = (float)p.Double("dropout", (double)(decimal)d.Dropout, "dropout in the encoders, fusion layers and before the output layer", 0, 0.95),
            ModalityDropout = (float)p.Double("modalityDropout", (double)(decimal)d.ModalityDropout, "probability of removing a whole modality token per training example", 0, 0.95),
            LearningRate = p.Double("lr", d.LearningRate, "AdamW learning rate", 1e-7, 10),
            WeightDecay = p.Double("weightDecay", d.WeightDecay, "AdamW decoupled weight decay", 0, 10),
            BatchSize = p.Int("batchSize", d.BatchSize, "mini-batch size", 1, 65536),
            MaxEpochs = p.Int("epochs", d.MaxEpochs, "maximum epochs", 1, 100_000),
            Patience = p.Int("patience", d.Patience, "early-stopping patience in epochs (validation loss)", 1, 100_000),
            ValidationFraction = p.Double("validationFraction", d.ValidationFraction, "share of training songs held out for early stopping", 0.01, 0.49),
            ClipGradNorm = p.NullableDouble("clipGradNorm", d.ClipGradNorm, "gradient-norm clipping (null = none)", 1e-6),
            LabelSmoothing = (float)p.Double("labelSmoothing", (double)(decimal)d.LabelSmoothing, "label smoothing of the training cross-entropy", 0, 0.99),
            BalancedClassWeights = p.Bool("balancedClassWeights", d.BalancedClassWeights, "weight the cross-entropy by inverse class frequency"),
            Ensemble = p.Int("ensemble", d.Ensemble, "networks trained with different seeds and validation songs, probabilities averaged", 1, 64),
        };
    }

    protected override void Validate(MultimodalFusionOptions options) => options.Validate();

    protected override ModelInputs Inputs(MultimodalFusionOptions options) =>
        new(["lld", "score", "performance"], [ColumnType.Sequence(0), ColumnType.Vector()], minCount: 1, maxCount: 8);

    protected override IEstimator<ITransformer> CreateTrainer(MultimodalFusionOptions options, TrainerSetup setup) =>
        new MultimodalFusionTrainer(setup.Inputs.Select(i => i.Column).ToArray(), setup.LabelColumn, options, setup.Seed, setup.GroupColumn) { Observer = setup.Observer };
}
