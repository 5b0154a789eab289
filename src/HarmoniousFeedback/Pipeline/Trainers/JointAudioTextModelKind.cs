using HarmoniousFeedback.Models.Multimodal;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Registry entry <c>joint-audio-text</c>: <see cref="JointAudioText"/> — private audio and text encoders, a shared layer,
/// self-attention fusion of private + shared features, the 4Q task plus an auxiliary arousal/valence task. Reads by default
/// the LLD segments and the text tokens; <c>"views": ["lld"]</c> or <c>["text"]</c> give the single-modality ablations,
/// <c>text-masked</c> the leakage check.
/// </summary>
public sealed class JointAudioTextModelKind : ModelKind<JointAudioTextOptions>
{
    public override string Name => "joint-audio-text";
    public override string Summary => "audio–text joint learning: private audio/text encoders, shared layer, self-attention fusion, 4Q + auxiliary arousal/valence task (docs/multimodal.md)";

    protected override JointAudioTextOptions ReadOptions(ParameterReader p)
    {
        var d = new JointAudioTextOptions();
        return new JointAudioTextOptions
        {
            Auxiliary = p.Enum("auxiliary", d.Auxiliary, "auxiliary task: arousalvalence (arousal high/low + valence sign, from the quadrant) or none (single-task)"),
            AuxiliaryWeight = p.Double("auxiliaryWeight", d.AuxiliaryWeight, "λ of the auxiliary loss", 0, 100),
            Dim = p.Int("dim", d.Dim, "token width of the encoders and the fusion layers", 2, 1024),
            Heads = p.Int("heads", d.Heads, "attention heads of the fusion layers", 1, 64),
            FusionLayers = p.Int("fusionLayers", d.FusionLayers, "Transformer layers over the private and shared tokens", 1, 8),
            Dropout = (float)p.Double("dropout", (double)(decimal)d.Dropout, "dropout in encoders, fusion and before the heads", 0, 0.95),
            ModalityDropout = (float)p.Double("modalityDropout", (double)(decimal)d.ModalityDropout, "probability of removing a modality per training example", 0, 0.95),
            LearningRate = p.Double("lr", d.LearningRate, "AdamW learning rate", 1e-7, 10),
            WeightDecay = p.Double("weightDecay", d.WeightDecay, "AdamW decoupled weight decay", 0, 10),
            BatchSize = p.Int("batchSize", d.BatchSize, "mini-batch size", 1, 65536),
            MaxEpochs = p.Int("epochs", d.MaxEpochs, "maximum epochs", 1, 100_000),
            Patience = p.Int("patience", d.Patience, "early-stopping patience in epochs (validation main-task loss)", 1, 100_000),
            ValidationFraction = p.Double("validationFraction", d.ValidationFraction, "share of training songs held out for early stopping", 0.01, 0.49),
            ClipGradNorm = p.NullableDouble("clipGradNorm", d.ClipGradNorm, "gradient-norm clipping (null = none)", 1e-6),
            LabelSmoothing = (float)p.Double("labelSmoothing", (double)(decimal)d.LabelSmoothing, "label smoothing of the main-task cross-entropy", 0, 0.99),
            Ensemble = p.Int("ensemble", d.Ensemble, "networks averaged (different seeds and validation songs)", 1, 64),
            MinFreq = p.Int("minFreq", d.MinFreq, "vocabulary: minimum count of a token in the training texts", 1, 1_000_000),
            MaxTokens = p.Int("maxTokens", d.MaxTokens, "texts truncated to this many tokens", 1, 100_000),
        };
    }

    protected override void Validate(JointAudioTextOptions options) => options.Validate();

    protected override ModelInputs Inputs(JointAudioTextOptions options) =>
        new(["lld", "text"], [ColumnType.Sequence(0), ColumnType.Vector()], minCount: 1, maxCount: 4);

    protected override IEstimator<ITransformer> CreateTrainer(JointAudioTextOptions options, TrainerSetup setup) =>
        new JointAudioTextTrainer(setup.Inputs.Select(i => i.Column).ToArray(), setup.LabelColumn, options, setup.Seed, setup.GroupColumn) { Observer = setup.Observer };
}
