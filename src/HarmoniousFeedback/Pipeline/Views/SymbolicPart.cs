namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>Which half of the symbolic features a view reads (<see cref="Features.Symbolic.SymbolicFeatureExtractor"/>).</summary>
public enum SymbolicPart
{
    /// <summary>What is played: the 98 score columns (<see cref="Features.Symbolic.SymbolicFeatureExtractor.ScoreColumns"/>).</summary>
    Score,
    /// <summary>How it is played: the 22 performance columns (<see cref="Features.Symbolic.SymbolicFeatureExtractor.PerformanceColumns"/>).</summary>
    Performance,
}
