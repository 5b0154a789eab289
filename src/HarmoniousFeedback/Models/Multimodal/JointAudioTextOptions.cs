using System.Globalization;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>Hyperparameters of <see cref="JointAudioText"/> and its training (docs/multimodal.md, "Audio–text joint learning").</summary>
public sealed record JointAudioTextOptions
{
    public AuxiliaryTask Auxiliary { get; init; } = AuxiliaryTask.ArousalValence;
    /// <summary>λ in L = CE_main + λ·(CE_arousal + CE_valence)/2.</summary>
    public double AuxiliaryWeight { get; init; } = 0.5;
    public int Dim { get; init; } = 64;
    public int Heads { get; init; } = 4;
    public int FusionLayers { get; init; } = 1;
    public float Dropout { get; init; } = 0.3f;
    /// <summary>Probability of removing a whole modality (its private and shared tokens) per training example; never all.</summary>
    public float ModalityDropout { get; init; } = 0.1f;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 1e-2;
    public int BatchSize { get; init; } = 32;
    public int MaxEpochs { get; init; } = 150;
    public int Patience { get; init; } = 20;
    public double ValidationFraction { get; init; } = 0.15;
    public double? ClipGradNorm { get; init; } = 5.0;
    public float LabelSmoothing { get; init; } = 0.1f;
    public int Ensemble { get; init; } = 1;
    /// <summary>Vocabulary: a token is kept when it occurs this often in the training texts (torchtext's min_freq).</summary>
    public int MinFreq { get; init; } = 2;
    /// <summary>Texts are truncated to this many tokens (title and tags come first).</summary>
    public int MaxTokens { get; init; } = 256;

    public void Validate()
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        var v = new OptionsValidator(nameof(JointAudioTextOptions));
        v.Check(Enum.IsDefined(Auxiliary), $"Auxiliary = {Auxiliary} must be one of {string.Join(", ", Enum.GetNames<AuxiliaryTask>())}");
        v.Check(AuxiliaryWeight >= 0 && double.IsFinite(AuxiliaryWeight), $"AuxiliaryWeight = {F(AuxiliaryWeight)} must be >= 0");
        v.InRange(nameof(Dim), Dim, 2, 1024);
        v.InRange(nameof(Heads), Heads, 1, 64);
        v.Check(Heads >= 1 && Dim % Math.Max(1, Heads) == 0, $"Dim = {Dim} must be divisible by Heads = {Heads}");
        v.InRange(nameof(FusionLayers), FusionLayers, 1, 8);
        v.Check(Dropout is >= 0 and < 1, $"Dropout = {F(Dropout)} must be in [0, 1)");
        v.Check(ModalityDropout is >= 0 and < 1, $"ModalityDropout = {F(ModalityDropout)} must be in [0, 1)");
        v.Check(LearningRate > 0 && double.IsFinite(LearningRate), $"LearningRate = {F(LearningRate)} must be > 0");
        v.Check(WeightDecay >= 0 && double.IsFinite(WeightDecay), $"WeightDecay = {F(WeightDecay)} must be >= 0");
        v.InRange(nameof(BatchSize), BatchSize, 1, 65536);
        v.InRange(nameof(MaxEpochs), MaxEpochs, 1, 100_000);
        v.InRange(nameof(Patience), Patience, 1, 100_000);
        v.Check(ValidationFraction is > 0 and < 0.5, $"ValidationFraction = {F(ValidationFraction)} must be in (0, 0.5)");
        v.Check(ClipGradNorm is null or > 0, $"ClipGradNorm = {ClipGradNorm} must be > 0 or null");
        v.Check(LabelSmoothing is >= 0 and < 1, $"LabelSmoothing = {F(LabelSmoothing)} must be in [0, 1)");
        v.InRange(nameof(Ensemble), Ensemble, 1, 64);
        v.InRange(nameof(MinFreq), MinFreq, 1, 1_000_000);
        v.InRange(nameof(MaxTokens), MaxTokens, 1, 100_000);
        v.ThrowIfAny();
    }
}
