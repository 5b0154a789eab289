using HarmoniousFeedback.Pipeline;

namespace HarmoniousFeedback.Evaluation;

/// <summary>One fold of <see cref="MulticlassCatalogExtensions.CrossValidate"/>: the model fitted on its training rows, its metrics and its scored test rows.</summary>
public sealed record CrossValidationFold(int Fold, ITransformer Model, ClassificationReport Metrics, DataTable Scored);
