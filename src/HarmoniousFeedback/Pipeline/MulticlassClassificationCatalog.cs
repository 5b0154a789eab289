namespace HarmoniousFeedback.Pipeline;

/// <summary><c>ctx.MulticlassClassification</c>: <see cref="Trainers"/>, evaluation and cross-validation for class labels.</summary>
public sealed class MulticlassClassificationCatalog : CatalogBase
{
    internal MulticlassClassificationCatalog(HfContext c) : base(c) => Trainers = new MulticlassTrainersCatalog(c);
    public MulticlassTrainersCatalog Trainers { get; }
}
