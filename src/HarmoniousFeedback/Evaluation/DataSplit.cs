namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// One train/test split of sample indices <c>0..count−1</c>. <see cref="Train"/> and <see cref="Test"/> are
/// disjoint and sorted ascending; <see cref="Repeat"/>/<see cref="Fold"/> identify the unit for <see cref="Prediction"/>.
/// </summary>
public sealed record DataSplit(int Repeat, int Fold, int[] Train, int[] Test)
{
    public override string ToString() => $"repeat {Repeat} fold {Fold}: {Train.Length} train / {Test.Length} test";
}
