using System.Text.Json;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Registry entry <c>hfn</c>: the Harmonious Feedback Network without HFI refinement (<see cref="HarmoniousFeedbackNetwork"/>,
/// docs/feedback.md). Reads the views <c>logmel</c>, <c>reference-logmel</c>, <c>alignment</c> (only <c>logmel</c>
/// with <c>reference: false</c>), with <c>notes: true</c> also <c>score-notes</c>, and the teaching-feedback targets;
/// every ablation switch is a parameter. The sequence views are read in that order; a vector view is the note comparison.
/// </summary>
public class HfnModelKind : ModelKind<HfnModelOptions>
{
    public override string Name => "hfn";
    public override string Summary => "Harmonious Feedback Network: emotional attention over the log-mel, conv encoder, reference stream, technical + emotional heads (docs/feedback.md)";

    /// <summary>True for <c>hfn-hfi</c>: the HFI parameters are read and HFI is on.</summary>
    protected virtual bool WithIntegration => false;

    protected override HfnModelOptions ReadOptions(ParameterReader p)
    {
        var n = new HarmoniousFeedbackNetworkOptions();
        var t = new HfnTrainingOptions();
        var channels = p.Custom<IReadOnlyList<int>>("channels", n.Channels, "integer list", "[16, 32, 64, 64]", "1 to 6 integers in [1, 1024]",
            "output channels of the encoder blocks Conv2d(3×3) → BatchNorm2d → ReLU → MaxPool2d(2)", TryChannels);
        var network = n with
        {
            NMels = p.Int("nMels", n.NMels, "mel bins of the input (must equal the logmel view's nMels)", 8, 512),
            Channels = channels,
            EmotionEmbeddingDim = p.Int("emotionEmbedding", n.EmotionEmbeddingDim, "size d of the emotional-factor embedding", 1, 256),
            FactorHidden = p.Int("factorHidden", n.FactorHidden, "hidden size of the emotional-factor branch", 1, 1024),
            FrameHidden = p.Int("frameHidden", n.FrameHidden, "channels H of the per-frame layer (shared representation 2H + 4K)", 1, 1024),
            Dropout = p.Double("dropout", n.Dropout, "dropout on the shared representation (training only)", 0, 0.99),
            ModalityDropout = p.Double("modalityDropout", n.ModalityDropout, "probability of dropping a training clip's audio part of z whole, keeping the note comparison (needs the score-notes view)", 0, 0.99),
            EmotionAttention = p.Bool("attention", n.EmotionAttention, "emotional attention S = |X|·A (false: the 'no emotional attention' ablation, A ≡ 1)"),
            EmotionFactors = p.Bool("factors", n.EmotionFactors, "condition the attention on predicted emotional factors (false: the 'no emotional factors' ablation)"),
            ReferenceStream = p.Bool("reference", n.ReferenceStream, "compare with the score through the aligned reference and alignment features (false: the 'no reference stream' ablation)"),
            Integration = WithIntegration
                ? new FeedbackIntegrationOptions
                {
                    Iterations = p.Int("iterations", 2, "K, HFI refinement iterations (ablated over 1, 2, 4)", 1, 16),
                    NodeDim = p.Int("nodeDim", 16, "D, hidden size of a feedback dimension's node", 1, 256),
                    RewardWeight = p.Double("rewardWeight", 0.1, "β, weight of the penalty on negative rewards", 0, 10),
                    InitialStep = p.Double("initialStep", 0.5, "η₀, initial adaptive-update step", 1e-3, 0.999),
                }
                : null,
        };
        var training = t with
        {
            LearningRate = p.Double("lr", t.LearningRate, "AdamW learning rate (published 3e-4)"),
            WeightDecay = p.Double("weightDecay", t.WeightDecay, "AdamW weight decay (published 1e-2)"),
            BatchSize = p.Int("batchSize", t.BatchSize, "mini-batch size (published 32)"),
            MaxEpochs = p.Int("epochs", t.MaxEpochs, "maximum epochs (published 40)"),
            EarlyStoppingPatience = p.NullableInt("patience", t.EarlyStoppingPatience, "early-stopping patience in epochs (null = none)"),
            ValidationFraction = p.Double("validationFraction", t.ValidationFraction, "share of training pieces held out for early stopping"),
            ClipGradNorm = p.NullableDouble("clipGradNorm", t.ClipGradNorm, "gradient-norm clipping (null = none)"),
            L2 = p.Double("l2", t.L2, "λ₂ of the explicit L2 term"),
            IssueWeight = p.Double("issueWeight", t.IssueWeight, "weight of the dominant-issue cross-entropy"),
            EmotionWeight = p.Double("emotionWeight", t.EmotionWeight, "weight of the emotional MSE"),
            ScoreWeight = p.Double("scoreWeight", t.ScoreWeight, "weight of the per-dimension score MSE"),
            FrameWeight = p.Double("frameWeight", t.FrameWeight, "weight of the per-frame localisation MSE"),
            IntegrationWeight = WithIntegration ? p.Double("integrationWeight", t.IntegrationWeight, "weight of the HFI objective") : t.IntegrationWeight,
            FrequencyMasks = p.Int("frequencyMasks", t.FrequencyMasks, "SpecAugment frequency masks per training clip (0 = none)", 0, 16),
            FrequencyMaskFraction = p.Double("frequencyMaskFraction", t.FrequencyMaskFraction, "widest frequency mask as a fraction of the mel bins", 0, 0.5),
            BalancedClassWeights = p.Bool("balancedClassWeights", t.BalancedClassWeights, "weight the cross-entropy by inverse class frequency"),
        };
        return new HfnModelOptions(network, training)
        {
            Notes = p.Bool("notes", false, "also read the clip-level note comparison with the score (view score-notes) into the shared representation z (needs the reference stream)"),
        };
    }

    private static bool TryChannels(JsonElement e, out IReadOnlyList<int> channels)
    {
        channels = [];
        if (e.ValueKind != JsonValueKind.Array) return false;
        var list = new List<int>();
        foreach (var v in e.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var c) || c < 1 || c > 1024) return false;
            list.Add(c);
        }
        if (list.Count is < 1 or > 6) return false;
        channels = list;
        return true;
    }

    protected override void Validate(HfnModelOptions options) => options.Validate();

    protected override ModelInputs Inputs(HfnModelOptions options) => options.Network.ReferenceStream
        ? options.Notes
            ? new ModelInputs(["logmel", "reference-logmel", "alignment", "score-notes"], [ColumnType.Sequence(0), ColumnType.Vector()], minCount: 3, maxCount: 4)
            : new ModelInputs(["logmel", "reference-logmel", "alignment"], [ColumnType.Sequence(0)], minCount: 2, maxCount: 3)
        : new ModelInputs(["logmel"], [ColumnType.Sequence(0)]);

    protected override void CheckInputRoles(HfnModelOptions options, IReadOnlyList<ModelInput> inputs, List<string> problems)
    {
        int vectors = inputs.Count(i => i.Type is VectorType), sequences = inputs.Count - vectors;
        if (options.Notes && vectors != 1)
            problems.Add($"an {Name} model with notes = true reads one vector view, the note comparison (score-notes), not {vectors} ({string.Join(", ", inputs.Select(i => i.View))})");
        if (options.Notes && sequences is < 2 or > 3)
            problems.Add($"an {Name} model with notes = true reads 2 or 3 sequence views (logmel, reference-logmel, alignment) besides score-notes, not {sequences}");
    }

    protected override IEstimator<ITransformer> CreateTrainer(HfnModelOptions options, TrainerSetup setup)
    {
        var i = setup.Inputs.Where(x => x.Type is not VectorType).ToArray();
        var notes = setup.Inputs.FirstOrDefault(x => x.Type is VectorType)?.Column;
        var columns = new FeedbackTrainerColumns(i[0].Column, i.Length > 1 ? i[1].Column : null, i.Length > 2 ? i[2].Column : null, options.Notes ? notes : null)
        {
            Label = setup.LabelColumn,
            Group = setup.GroupColumn,
        };
        return new FeedbackTrainer(columns, options.Network, options.Training, setup.Seed) { Observer = setup.Observer };
    }
}
