using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;

namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Evaluation and cross-validation on <c>ctx.MulticlassClassification</c> (ML.NET's <c>Evaluate</c> and
/// <c>CrossValidate</c>): metrics of a scored table as a <see cref="ClassificationReport"/>, and k-fold cross-validation
/// of any estimator chain — stratified, or grouped so that one song never sits on both sides of a split.
/// </summary>
public static class MulticlassCatalogExtensions
{
    /// <summary>
    /// The metrics of a table scored by a trained model (its <c>PredictedLabel</c> and <c>Score</c> columns) against
    /// <paramref name="labelColumn"/>. Class order: the Score column's slot names (the model's classes).
    /// </summary>
    /// <remarks><paramref name="idColumn"/> gives the predictions' ids (row numbers when the column is absent);
    /// <paramref name="fold"/> is recorded in them (for per-fold summaries).</remarks>
    public static ClassificationReport Evaluate(this MulticlassClassificationCatalog catalog, DataTable scored, string labelColumn = "Label",
        string predictedLabelColumn = MulticlassColumns.PredictedLabel, string scoreColumn = MulticlassColumns.Score, string idColumn = "Id", int fold = 0)
        => ClassificationReport.From(Predictions(scored, labelColumn, predictedLabelColumn, scoreColumn, idColumn, fold, 0), ClassesOf(scored, scoreColumn));

    /// <summary>
    /// k-fold cross-validation of <paramref name="estimator"/> on <paramref name="data"/>: stratified by
    /// <paramref name="labelColumn"/>, grouped by <paramref name="groupColumn"/> when given (songs never split), seeded by the
    /// context. Each fold fits on its training rows only (normalisers included, when they are part of the chain).
    /// </summary>
    public static CrossValidationResult CrossValidate(this MulticlassClassificationCatalog catalog, DataTable data, IEstimator<ITransformer> estimator,
        int numberOfFolds = 5, string labelColumn = "Label", string? groupColumn = null, string idColumn = "Id")
    {
        data.Schema.Require("CrossValidate", labelColumn, ColumnType.String);
        if (groupColumn is not null) data.Schema.Require("CrossValidate", groupColumn, ColumnType.String);
        estimator.GetOutputSchema(data.Schema); // fail before any work
        var labels = data.Column<string>(labelColumn).ToArray();
        var groups = groupColumn is null ? null : data.Column<string>(groupColumn).ToArray();
        int seed = catalog.Context.NextComponentSeed();
        var splits = (groups is null ? RepeatedCrossValidator.StratifiedKFold(numberOfFolds, 1, seed) : RepeatedCrossValidator.StratifiedGroupKFold(numberOfFolds, 1, seed))
            .Split(data.RowCount, labels, groups);
        var folds = new List<CrossValidationFold>();
        var all = new List<Prediction>();
        IReadOnlyList<string>? classes = null;
        foreach (var split in splits)
        {
            var model = estimator.Fit(data.SelectRows(split.Train));
            var scored = model.Transform(data.SelectRows(split.Test));
            classes ??= ClassesOf(scored, MulticlassColumns.Score);
            var predictions = Predictions(scored, labelColumn, MulticlassColumns.PredictedLabel, MulticlassColumns.Score, idColumn, split.Fold, split.Repeat);
            all.AddRange(predictions);
            folds.Add(new CrossValidationFold(split.Fold, model, ClassificationReport.From(predictions, classes), scored));
        }
        return new CrossValidationResult(folds, ClassificationReport.From(all, classes));
    }

    private static IReadOnlyList<string>? ClassesOf(DataTable scored, string scoreColumn) => scored.Schema[scoreColumn]?.SlotNames;

    private static List<Prediction> Predictions(DataTable scored, string labelColumn, string predictedLabelColumn, string scoreColumn, string idColumn, int fold, int repeat)
    {
        scored.Schema.Require("Evaluate", labelColumn, ColumnType.String);
        scored.Schema.Require("Evaluate", predictedLabelColumn, ColumnType.String, "Score the table with a trained model first (model.Transform).");
        var truth = scored.Column<string>(labelColumn);
        var predicted = scored.Column<string>(predictedLabelColumn);
        var classes = ClassesOf(scored, scoreColumn);
        var score = classes is not null && scored.Schema.Contains(scoreColumn) ? scored.Column<float[]>(scoreColumn) : null;
        var ids = scored.Schema[idColumn]?.Type == ColumnType.String ? scored.Column<string>(idColumn) : null;
        var list = new List<Prediction>(scored.RowCount);
        for (int i = 0; i < scored.RowCount; i++)
        {
            Dictionary<string, double>? probabilities = null;
            if (score is not null)
            {
                var s = score[i];
                probabilities = new Dictionary<string, double>(classes!.Count, StringComparer.Ordinal);
                for (int k = 0; k < classes.Count && k < s.Length; k++) probabilities[classes[k]] = s[k];
            }
            list.Add(new Prediction(ids?[i] ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture), fold, repeat, truth[i], predicted[i], probabilities));
        }
        return list;
    }
}
