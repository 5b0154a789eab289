namespace HarmoniousFeedback.Pipeline;

/// <summary>Statistics <see cref="PoolSequenceTransformer"/> can compute over the time axis of a sequence.</summary>
[Flags]
public enum SequencePooling
{
    Mean = 1,
    Std = 2,
    Min = 4,
    Max = 8,
    MeanStd = Mean | Std,
}
