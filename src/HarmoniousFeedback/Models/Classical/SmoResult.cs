namespace HarmoniousFeedback.Models.Classical;

/// <summary>Result of one binary C-SVC dual problem.</summary>
internal readonly record struct SmoResult(double[] Alpha, double Rho, int Iterations, bool Converged);
