using System.Globalization;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// How an HFN/HFN–HFI model is trained and what its loss weighs. The defaults reproduce the published setting exactly:
/// AdamW (lr 3·10⁻⁴, weight decay 10⁻²), batch 32, at most 40 epochs with early stopping on a song-grouped validation
/// split, loss = technical cross-entropy + emotional MSE + L2 — plus the per-dimension score, per-frame localisation and
/// HFI terms this implementation adds (docs/feedback.md, "Loss").
/// </summary>
public sealed record HfnTrainingOptions
{
    /// <summary>AdamW learning rate. Default 3·10⁻⁴ (published).</summary>
    public double LearningRate { get; init; } = 3e-4;

    /// <summary>AdamW decoupled weight decay. Default 10⁻² (published).</summary>
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>Mini-batch size. Default 32 (published).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Maximum epochs. Default 40 (published).</summary>
    public int MaxEpochs { get; init; } = 40;

    /// <summary>Early stopping: stop when the validation loss has not improved for this many epochs and keep the best epoch's weights; null = train every epoch. Default 10.</summary>
    public int? EarlyStoppingPatience { get; init; } = 10;

    /// <summary>Share of the training groups (pieces) held out for early stopping, in [0, 0.5). Default 0.15.</summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>Gradient-norm clipping before each step; null = none. Default 5.</summary>
    public double? ClipGradNorm { get; init; } = 5.0;

    /// <summary>λ₂ of the explicit L2 term λ₂·Σθ² over every weight (the published loss's "+ L2"; biases, norms and embeddings included). Default 10⁻⁵.</summary>
    public double L2 { get; init; } = 1e-5;

    /// <summary>Weight of the dominant-issue cross-entropy. Default 1.</summary>
    public double IssueWeight { get; init; } = 1.0;

    /// <summary>Weight of the emotional MSE (emotional head and factor branch). Default 1.</summary>
    public double EmotionWeight { get; init; } = 1.0;

    /// <summary>Weight of the per-dimension clip-score MSE. Default 1.</summary>
    public double ScoreWeight { get; init; } = 1.0;

    /// <summary>Weight of the per-frame localisation MSE. Default 1.</summary>
    public double FrameWeight { get; init; } = 1.0;

    /// <summary>Weight of the HFI objective (iteration losses + reward penalty). Default 1.</summary>
    public double IntegrationWeight { get; init; } = 1.0;

    /// <summary>SpecAugment-style frequency masking (Park et al. 2019) of every training clip: this many bands, each of
    /// a random width in [0, <see cref="FrequencyMaskFraction"/>·M] mel bins at a random position, are zeroed in the
    /// performance's and (the same bands) the reference's log-mel. 0 = none. Default 2.</summary>
    public int FrequencyMasks { get; init; } = 2;

    /// <summary>The widest frequency mask as a fraction of the mel bins, in [0, 0.5]. Default 1/16 (8 of 128 bins).</summary>
    public double FrequencyMaskFraction { get; init; } = 1.0 / 16;

    /// <summary>Weight the cross-entropy by inverse class frequency in the training rows (PyTorch class weights). Default true: "none" and the six dimensions are not equally frequent.</summary>
    public bool BalancedClassWeights { get; init; } = true;

    public void Validate()
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        var v = new OptionsValidator(nameof(HfnTrainingOptions));
        v.Check(LearningRate > 0 && double.IsFinite(LearningRate), $"LearningRate = {F(LearningRate)} must be > 0");
        v.Check(WeightDecay >= 0 && double.IsFinite(WeightDecay), $"WeightDecay = {F(WeightDecay)} must be >= 0");
        v.InRange(nameof(BatchSize), BatchSize, 1, 65536);
        v.InRange(nameof(MaxEpochs), MaxEpochs, 1, 100_000);
        v.Check(EarlyStoppingPatience is null or >= 1, $"EarlyStoppingPatience = {EarlyStoppingPatience} must be >= 1 or null");
        v.Check(ValidationFraction is >= 0 and < 0.5, $"ValidationFraction = {F(ValidationFraction)} must be in [0, 0.5)");
        v.Check(EarlyStoppingPatience is null || ValidationFraction > 0, "EarlyStoppingPatience needs ValidationFraction > 0 (a validation split to watch)");
        v.InRange(nameof(FrequencyMasks), FrequencyMasks, 0, 16);
        v.InRange(nameof(FrequencyMaskFraction), FrequencyMaskFraction, 0, 0.5);
        v.Check(ClipGradNorm is null or > 0, $"ClipGradNorm = {ClipGradNorm} must be > 0 or null");
        foreach (var (name, w) in new[] { (nameof(L2), L2), (nameof(IssueWeight), IssueWeight), (nameof(EmotionWeight), EmotionWeight),
                     (nameof(ScoreWeight), ScoreWeight), (nameof(FrameWeight), FrameWeight), (nameof(IntegrationWeight), IntegrationWeight) })
            v.Check(w >= 0 && double.IsFinite(w), $"{name} = {F(w)} must be >= 0");
        v.ThrowIfAny();
    }
}
