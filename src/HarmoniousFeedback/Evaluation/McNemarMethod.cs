namespace HarmoniousFeedback.Evaluation;

/// <summary>How a McNemar p-value was obtained.</summary>
public enum McNemarMethod
{
    /// <summary>Exact two-sided binomial test on the discordant pairs: p = min(1, 2·P[X ≤ min(b, c)]), X ~ Bin(b + c, ½).</summary>
    ExactBinomial,
    /// <summary>χ² with Edwards' continuity correction: χ² = (|b − c| − 1)² / (b + c), 1 degree of freedom.</summary>
    ChiSquareCorrected,
}
