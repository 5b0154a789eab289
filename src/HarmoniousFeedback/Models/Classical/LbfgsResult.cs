namespace HarmoniousFeedback.Models.Classical;

/// <summary>Outcome of an L-BFGS minimisation.</summary>
internal readonly record struct LbfgsResult(double[] X, double F, int Iterations, int Evaluations, bool Converged, string Reason);
