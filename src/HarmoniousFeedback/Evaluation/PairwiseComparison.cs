namespace HarmoniousFeedback.Evaluation;

/// <summary>Two models compared on the same clips and splits.</summary>
/// <param name="ModelA">First model's name.</param>
/// <param name="ModelB">Second model's name.</param>
/// <param name="ScoreA">Model A's metric (mean over units).</param>
/// <param name="ScoreB">Model B's metric (mean over units).</param>
/// <param name="McNemar">McNemar's test on one repeat's paired predictions.</param>
/// <param name="CorrectedT">Nadeau–Bengio corrected resampled t-test over units; null with fewer than 2 units.</param>
public sealed record PairwiseComparison(string ModelA, string ModelB, double ScoreA, double ScoreB, McNemarResult McNemar, CorrectedTTestResult? CorrectedT);
