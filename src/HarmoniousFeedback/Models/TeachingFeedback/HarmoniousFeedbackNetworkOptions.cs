using System.Globalization;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// Architecture of <see cref="HarmoniousFeedbackNetwork"/> (HFN) and its ablation switches. The defaults are the
/// published configuration: a 128-bin log-mel input and a convolutional encoder of four blocks
/// Conv2d(3×3, stride 1, padding 1) → BatchNorm2d → ReLU → MaxPool2d(2) with 16, 32, 64, 64 channels, emotional
/// attention conditioned on three emotional factors, a reference stream, and HFI refinement (K = 2).
/// docs/feedback.md gives every formula and shape.
/// </summary>
public sealed record HarmoniousFeedbackNetworkOptions
{
    /// <summary>M, the mel bins of the input spectrogram, 8 – 512. Default 128.</summary>
    public int NMels { get; init; } = 128;

    /// <summary>Output channels of the encoder blocks (one block per entry, 1 – 6 blocks; each pools time and frequency by 2). Default 16, 32, 64, 64.</summary>
    public IReadOnlyList<int> Channels { get; init; } = [16, 32, 64, 64];

    /// <summary>d, the size of the emotional-factor embedding that conditions <see cref="EmotionAttention"/>, 1 – 256. Default 8.</summary>
    public int EmotionEmbeddingDim { get; init; } = 8;

    /// <summary>Hidden size of the emotional-factor branch (<see cref="EmotionFactorBranch"/>), 1 – 1024. Default 32.</summary>
    public int FactorHidden { get; init; } = 32;

    /// <summary>H, the channels of the per-frame feature layer (the shared representation is 2H), 1 – 1024. Default 64.</summary>
    public int FrameHidden { get; init; } = 64;

    /// <summary>Dropout probability on the shared representation z before the heads and HFI (training only), in [0, 1). Default 0.3 (not specified by the method; a corpus of a few hundred clips needs it).</summary>
    public double Dropout { get; init; } = 0.3;

    /// <summary>
    /// Probability, in [0, 1), of dropping a training clip's audio part of z — the per-frame summary [2H] and the
    /// alignment statistics [4K], not the note comparison — whole (<see cref="Nn.ModalityDropout"/>, training only), so
    /// that the heads also learn to decide from the note comparison alone, which carries to an unseen instrument better
    /// than the spectrogram does (docs/feedback.md). Needs note features. Default 0 (not part of the published method).
    /// </summary>
    public double ModalityDropout { get; init; }

    /// <summary>Re-weight the spectrogram by the emotional attention map, S = |X|·A; false is the "no emotional attention" ablation (A ≡ 1).</summary>
    public bool EmotionAttention { get; init; } = true;

    /// <summary>Predict the emotional factors (tone, sentiment, engagement) and condition the attention on them; false is the "no emotional factors" ablation (the attention then depends on the spectrogram only).</summary>
    public bool EmotionFactors { get; init; } = true;

    /// <summary>Compare with the score: encode the aligned reference rendition with the same (siamese) encoder and read the alignment features; false is the "no reference stream" ablation.</summary>
    public bool ReferenceStream { get; init; } = true;

    /// <summary>HFI refinement (<see cref="FeedbackIntegration"/>); null is the "no HFI" ablation (plain HFN).</summary>
    public FeedbackIntegrationOptions? Integration { get; init; } = new();

    /// <summary>Time and frequency are both pooled by 2 per block: an output frame covers this many input frames.</summary>
    public int PoolFactor => 1 << Channels.Count;

    public void Validate()
    {
        var v = new OptionsValidator(nameof(HarmoniousFeedbackNetworkOptions));
        v.InRange(nameof(NMels), NMels, 8, 512);
        v.Check(Channels is { Count: >= 1 and <= 6 }, $"Channels has {Channels?.Count ?? 0} entries; the encoder needs 1 to 6 blocks");
        if (Channels is not null)
            for (int i = 0; i < Channels.Count; i++) v.InRange($"Channels[{i}]", Channels[i], 1, 1024);
        if (Channels is { Count: >= 1 and <= 6 })
            v.Check(NMels >= PoolFactor, $"NMels = {NMels} must be at least {PoolFactor} (the {Channels.Count} encoder blocks halve the frequency axis {Channels.Count} times)");
        v.InRange(nameof(EmotionEmbeddingDim), EmotionEmbeddingDim, 1, 256);
        v.InRange(nameof(FactorHidden), FactorHidden, 1, 1024);
        v.InRange(nameof(FrameHidden), FrameHidden, 1, 1024);
        v.Check(Dropout is >= 0 and < 1, $"Dropout = {Dropout.ToString(CultureInfo.InvariantCulture)} must be in [0, 1)");
        v.Check(ModalityDropout is >= 0 and < 1, $"ModalityDropout = {ModalityDropout.ToString(CultureInfo.InvariantCulture)} must be in [0, 1)");
        v.ThrowIfAny();
        Integration?.Validate();
    }

    /// <summary>A one-line description for logs and model files.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"HFN(mels={NMels}, channels={string.Join("-", Channels)}, emb={EmotionEmbeddingDim}, frame={FrameHidden}, dropout={Dropout}{(ModalityDropout > 0 ? $", modality-dropout={ModalityDropout}" : "")}, attention={EmotionAttention}, factors={EmotionFactors}, reference={ReferenceStream}, hfi={(Integration is null ? "off" : $"K={Integration.Iterations},D={Integration.NodeDim},β={Integration.RewardWeight}")})");
}
