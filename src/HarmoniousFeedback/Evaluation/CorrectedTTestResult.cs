namespace HarmoniousFeedback.Evaluation;

/// <summary>A Nadeau–Bengio corrected resampled t-test result (two-sided).</summary>
/// <param name="MeanDifference">d̄ = mean over units of (score A − score B).</param>
/// <param name="T">t statistic; NaN when the per-unit differences do not vary (undefined).</param>
/// <param name="DegreesOfFreedom">J − 1.</param>
/// <param name="PValue">Two-sided p-value from Student's t; NaN when <paramref name="T"/> is.</param>
/// <param name="Units">J, the number of (repeat, fold) units.</param>
public sealed record CorrectedTTestResult(double MeanDifference, double T, int DegreesOfFreedom, double PValue, int Units);
