namespace HarmoniousFeedback.Pipeline;

/// <summary><c>ctx.Regression</c>: trainers and evaluation for continuous targets (valence/arousal, emotional scores).</summary>
public sealed class RegressionCatalog : CatalogBase
{
    internal RegressionCatalog(HfContext c) : base(c) => Trainers = new RegressionTrainersCatalog(c);
    public RegressionTrainersCatalog Trainers { get; }
}
