namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>
/// Result of <see cref="KeyFinder.Estimate"/>: the best key (tonic pitch class 0 = C … 11 = B, major or minor), its
/// correlation, the correlation of every key (<see cref="Correlations"/>: index <c>tonic</c> for C…B major, <c>12 + tonic</c>
/// for C…B minor), the clarity (best − second best correlation) and the mode strength (best major − best minor
/// correlation; &gt; 0 leans major). All zero for an empty or flat histogram (<see cref="Valid"/> false).
/// </summary>
public sealed record KeyEstimate(int Tonic, bool IsMajor, double Correlation, double Clarity, double ModeStrength, double[] Correlations, bool Valid)
{
    public string Name => Valid ? KeyFinder.PitchClassNames[Tonic] + (IsMajor ? " major" : " minor") : "none";
}
