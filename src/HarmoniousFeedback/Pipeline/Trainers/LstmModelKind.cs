using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Registry entry <c>lstm</c>: the piano-emotion LSTM (+ attention "AM") classifier (<see cref="LstmEmotionClassifier"/>)
/// on one sequence view, by default the 50-dim LLD segments. Presets: <c>method</c> (the paper's SGD setting) and
/// <c>tuned</c> (Adam + early stopping); every other parameter overrides the preset.
/// </summary>
public sealed class LstmModelKind : ModelKind<LstmClassifierOptions>
{
    public override string Name => "lstm";
    public override string Summary => "LSTM (+ attention \"AM\") over a segment sequence — the piano-emotion method (docs/nn.md)";

    protected override LstmClassifierOptions ReadOptions(ParameterReader p)
    {
        var preset = p.Choice("preset", "method", ["method", "tuned"], "starting point: the paper's SGD setting or the tuned Adam setting") == "tuned"
            ? LstmClassifierOptions.Tuned : LstmClassifierOptions.Method;
        return preset with
        {
            Layers = p.Int("layers", preset.Layers, "stacked LSTM layers"),
            Attention = p.Bool("attention", preset.Attention, "attention pooling over time (the paper's AM) instead of the last step"),
            HiddenSize = p.Int("hidden", preset.HiddenSize, "LSTM hidden size"),
            AttentionDim = p.Int("attentionDim", preset.AttentionDim, "attention projection size"),
            Dropout = (float)p.Double("dropout", (double)(decimal)preset.Dropout, "dropout between layers and before the output layer"),
            Optimizer = p.Enum("optimizer", preset.Optimizer, "optimizer (PyTorch's SGD, Adam, AdamW)"),
            LearningRate = p.Double("lr", preset.LearningRate, "learning rate"),
            Momentum = p.Double("momentum", preset.Momentum, "SGD momentum"),
            WeightDecay = p.Double("weightDecay", preset.WeightDecay, "weight decay (L2 for SGD/Adam, decoupled for AdamW)"),
            BatchSize = p.Int("batchSize", preset.BatchSize, "mini-batch size"),
            MaxEpochs = p.Int("epochs", preset.MaxEpochs, "maximum epochs"),
            EarlyStoppingPatience = p.NullableInt("patience", preset.EarlyStoppingPatience, "early-stopping patience in epochs (null = none)"),
            ValidationFraction = p.Double("validationFraction", preset.ValidationFraction, "share of training songs held out for early stopping"),
            ClipGradNorm = p.NullableDouble("clipGradNorm", preset.ClipGradNorm, "gradient-norm clipping (null = none)"),
            BalancedClassWeights = p.Bool("balancedClassWeights", preset.BalancedClassWeights, "weight the cross-entropy by inverse class frequency"),
        };
    }

    protected override void Validate(LstmClassifierOptions options) => options.Validate();

    protected override ModelInputs Inputs(LstmClassifierOptions options) => new(["lld"], [ColumnType.Sequence(0)]);

    protected override IEstimator<ITransformer> CreateTrainer(LstmClassifierOptions options, TrainerSetup setup) =>
        new LstmClassifierTrainer(new MulticlassColumns(setup.Inputs[0].Column, setup.LabelColumn), options, setup.Seed, setup.GroupColumn) { Observer = setup.Observer };
}
