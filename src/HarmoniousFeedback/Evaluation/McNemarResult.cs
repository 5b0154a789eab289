namespace HarmoniousFeedback.Evaluation;

/// <summary>Result of McNemar's test. <c>B</c> = pairs A right / B wrong, <c>C</c> = A wrong / B right.</summary>
public sealed record McNemarResult(int BothCorrect, int B, int C, int BothWrong, double Statistic, double PValue, McNemarMethod Method);
