namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>Text of a batch: vocabulary ids [Batch × MaxLength] row-major, right-padded with PAD (0), and each row's length (≥ 1; a clip without text is one PAD).</summary>
public sealed record TextBatch(long[] Ids, int Batch, int MaxLength, int[] Lengths);
