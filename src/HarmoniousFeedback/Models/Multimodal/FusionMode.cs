namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>How <see cref="MultimodalFusion"/> combines its modalities.</summary>
public enum FusionMode
{
    /// <summary>One encoder per modality; self-attention over the modality tokens with a fusion token (<see cref="ModalityAttentionFusion"/>).</summary>
    Attention,
    /// <summary>One encoder per modality; the tokens concatenated and mixed by an MLP (late feature fusion without attention).</summary>
    Concat,
    /// <summary>Early fusion: the inputs concatenated feature-wise (segment by segment; clip vectors repeated on every segment) into one encoder.</summary>
    Early,
}
