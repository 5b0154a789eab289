namespace HarmoniousFeedback.Pipeline;

/// <summary><c>ctx.MulticlassClassification.Trainers</c>: LSTM(+attention), SVM, LDA, logistic regression, …</summary>
public sealed class MulticlassTrainersCatalog : CatalogBase
{
    internal MulticlassTrainersCatalog(HfContext c) : base(c) { }
}
