using System.Globalization;

namespace HarmoniousFeedback.Evaluation;

/// <summary>A metric value in one evaluation unit: repeat, fold, number of test predictions, value.</summary>
public sealed record FoldScore(int Repeat, int Fold, int TestCount, double Value)
{
    public override string ToString() => $"repeat {Repeat} fold {Fold} (n={TestCount}): {Value.ToString("0.####", CultureInfo.InvariantCulture)}";
}
