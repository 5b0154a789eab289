namespace HarmoniousFeedback.Pipeline;

public sealed class RegressionTrainersCatalog : CatalogBase
{
    internal RegressionTrainersCatalog(HfContext c) : base(c) { }
}
