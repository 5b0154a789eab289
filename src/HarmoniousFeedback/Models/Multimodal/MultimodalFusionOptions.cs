using System.Globalization;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>
/// Hyperparameters of <see cref="MultimodalFusion"/> and its training (PyTorch names where they exist). The defaults are
/// the fixed recipe of docs/multimodal.md ("Protocol"): chosen on the development protocol (song-grouped CV inside the
/// official train + validation clips), never on a test fold.
/// </summary>
public sealed record MultimodalFusionOptions
{
    public FusionMode Fusion { get; init; } = FusionMode.Attention;
    /// <summary>Token width d of every modality encoder and of the fusion layers.</summary>
    public int Dim { get; init; } = 64;
    /// <summary>Attention heads of the fusion layers (d must be divisible by it).</summary>
    public int Heads { get; init; } = 4;
    /// <summary>Transformer layers over the modality tokens (attention fusion).</summary>
    public int FusionLayers { get; init; } = 1;
    public float Dropout { get; init; } = 0.3f;
    /// <summary>Probability of removing a whole modality token per training example (never all of them); 0 = off.</summary>
    public float ModalityDropout { get; init; } = 0.1f;
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Decoupled weight decay (AdamW).</summary>
    public double WeightDecay { get; init; } = 1e-2;
    public int BatchSize { get; init; } = 32;
    public int MaxEpochs { get; init; } = 150;
    /// <summary>Early-stopping patience on the validation loss (epochs); the best epoch's weights are kept.</summary>
    public int Patience { get; init; } = 20;
    /// <summary>Share of the training songs held out for early stopping (each ensemble member holds out different songs).</summary>
    public double ValidationFraction { get; init; } = 0.15;
    public double? ClipGradNorm { get; init; } = 5.0;
    public float LabelSmoothing { get; init; } = 0.1f;
    public bool BalancedClassWeights { get; init; }
    /// <summary>Networks trained with different seeds and validation songs; their class probabilities are averaged.</summary>
    public int Ensemble { get; init; } = 1;

    public void Validate()
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        var v = new OptionsValidator(nameof(MultimodalFusionOptions));
        v.Check(Enum.IsDefined(Fusion), $"Fusion = {Fusion} must be one of {string.Join(", ", Enum.GetNames<FusionMode>())}");
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
        v.Check(ValidationFraction is > 0 and < 0.5, $"ValidationFraction = {F(ValidationFraction)} must be in (0, 0.5) (early stopping needs held-out songs)");
        v.Check(ClipGradNorm is null or > 0, $"ClipGradNorm = {ClipGradNorm} must be > 0 or null");
        v.Check(LabelSmoothing is >= 0 and < 1, $"LabelSmoothing = {F(LabelSmoothing)} must be in [0, 1)");
        v.InRange(nameof(Ensemble), Ensemble, 1, 64);
        v.ThrowIfAny();
    }
}
