using System.Globalization;

namespace HarmoniousFeedback.Models.PianoEmotion;

/// <summary>
/// Hyperparameters of <see cref="LstmEmotionClassifier"/> training. <see cref="Method"/> is the paper's setting
/// (plain SGD, lr 0.002, batch 128, dropout 0.7, up to 1000 epochs); <see cref="Tuned"/> is an adaptive-optimiser
/// setting that actually learns on real data (EMOPIA's README reports that the method's SGD barely learns there).
/// Both are reported side by side.
/// </summary>
public sealed record LstmClassifierOptions
{
    public int Layers { get; init; } = 1;
    public int HiddenSize { get; init; } = 128;
    /// <summary>Use the attention layer (the paper's "AM").</summary>
    public bool Attention { get; init; } = true;
    public int AttentionDim { get; init; } = 64;
    /// <summary>Dropout between LSTM layers and before the output layer.</summary>
    public float Dropout { get; init; } = 0.7f;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    public double LearningRate { get; init; } = 0.002;
    public double Momentum { get; init; }
    public double WeightDecay { get; init; }
    public int BatchSize { get; init; } = 128;
    public int MaxEpochs { get; init; } = 1000;
    /// <summary>Stop when the validation loss has not improved for this many epochs (null = train all epochs) and keep the best epoch's weights.</summary>
    public int? EarlyStoppingPatience { get; init; }
    /// <summary>Share of the training songs (groups) held out for early stopping; 0 = none.</summary>
    public double ValidationFraction { get; init; }
    public double? ClipGradNorm { get; init; }
    /// <summary>Weight the cross-entropy by inverse class frequency (PyTorch's class weights).</summary>
    public bool BalancedClassWeights { get; init; }

    /// <summary>The piano-emotion paper's training setting.</summary>
    public static LstmClassifierOptions Method { get; } = new();

    /// <summary>Adam with early stopping on a grouped validation split; moderate dropout.</summary>
    public static LstmClassifierOptions Tuned { get; } = new()
    {
        Dropout = 0.3f, Optimizer = OptimizerKind.Adam, LearningRate = 3e-3, WeightDecay = 0, BatchSize = 32,
        MaxEpochs = 150, EarlyStoppingPatience = 15, ValidationFraction = 0.15, ClipGradNorm = 5.0,
    };

    public void Validate()
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        var v = new OptionsValidator(nameof(LstmClassifierOptions));
        v.InRange(nameof(Layers), Layers, 1, 3);
        v.InRange(nameof(HiddenSize), HiddenSize, 1, 4096);
        v.InRange(nameof(AttentionDim), AttentionDim, 1, 4096);
        v.Check(Dropout is >= 0 and < 1, $"Dropout = {F(Dropout)} must be in [0, 1)");
        v.Check(LearningRate > 0 && double.IsFinite(LearningRate), $"LearningRate = {F(LearningRate)} must be > 0");
        v.Check(Momentum is >= 0 and < 1, $"Momentum = {F(Momentum)} must be in [0, 1)");
        v.Check(WeightDecay >= 0, $"WeightDecay = {F(WeightDecay)} must be >= 0");
        v.InRange(nameof(BatchSize), BatchSize, 1, 65536);
        v.InRange(nameof(MaxEpochs), MaxEpochs, 1, 100_000);
        v.Check(EarlyStoppingPatience is null or >= 1, $"EarlyStoppingPatience = {EarlyStoppingPatience} must be >= 1 or null");
        v.Check(ValidationFraction is >= 0 and < 0.5, $"ValidationFraction = {F(ValidationFraction)} must be in [0, 0.5)");
        v.Check(EarlyStoppingPatience is null || ValidationFraction > 0, "EarlyStoppingPatience needs ValidationFraction > 0 (a validation split to watch)");
        v.Check(ClipGradNorm is null or > 0, $"ClipGradNorm = {ClipGradNorm} must be > 0 or null");
        v.ThrowIfAny();
    }
}
