using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>
/// One modality of a batch: a sequence <c>X</c> [B, T, F] zero-padded to the longest row, with <c>Lengths</c> [B] (the
/// valid steps of each row, ≥ 1), or a vector <c>X</c> [B, F] with <c>Lengths</c> null.
/// </summary>
public sealed record ModalityInput(Tensor X, int[]? Lengths)
{
    public bool IsSequence => Lengths is not null;
}
