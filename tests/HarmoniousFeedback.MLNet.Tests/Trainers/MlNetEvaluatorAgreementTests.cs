using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace HarmoniousFeedback.MLNet.Tests.Trainers;

/// <summary>ML.NET's multiclass evaluator and the toolkit's metrics agree on the same predictions.</summary>
public class MlNetEvaluatorAgreementTests
{
    private static (IEstimator<Microsoft.ML.ITransformer> Pipeline, IDataView Data) Setup(MLContext ml)
    {
        var data = ml.Data.LoadFromDataTable(Blobs.Create(210, 11));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("LabelKey", "Features"))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel"));
        return (pipeline, data);
    }

    private static (string[] Truth, string[] Predicted) Read(IDataView scored)
    {
        var t = scored.ToDataTable(["Label", "PredictedText"]);
        return (t.Column<string>("Label").ToArray(), t.Column<string>("PredictedText").ToArray());
    }

    [Fact]
    public void Evaluate_micro_and_macro_accuracy_equal_the_toolkits_accuracy_and_balanced_accuracy()
    {
        var ml = new MLContext(seed: 1);
        var (pipeline, data) = Setup(ml);
        var scored = pipeline.Fit(data).Transform(data);
        var metrics = ml.MulticlassClassification.Evaluate(scored, labelColumnName: "LabelKey");
        var (truth, predicted) = Read(scored);
        Assert.InRange(metrics.MicroAccuracy, 0.5, 0.99); // overlapping classes: a non-trivial value to compare
        // Both are counts over the same 210 rows: equal up to double rounding of the division.
        Assert.Equal(ClassificationMetrics.Accuracy(truth, predicted), metrics.MicroAccuracy, 12);
        Assert.Equal(ClassificationMetrics.BalancedAccuracy(truth, predicted), metrics.MacroAccuracy, 12);
    }

    [Fact]
    public void CrossValidate_fold_accuracies_equal_the_toolkits_accuracy_on_each_folds_held_out_predictions()
    {
        var ml = new MLContext(seed: 1);
        var (pipeline, data) = Setup(ml);
        var folds = ml.MulticlassClassification.CrossValidate(data, pipeline, numberOfFolds: 5, labelColumnName: "LabelKey", seed: 7);
        Assert.Equal(5, folds.Count);
        foreach (var fold in folds)
        {
            var (truth, predicted) = Read(fold.ScoredHoldOutSet);
            Assert.Equal(ClassificationMetrics.Accuracy(truth, predicted), fold.Metrics.MicroAccuracy, 12);
            Assert.Equal(ClassificationMetrics.BalancedAccuracy(truth, predicted), fold.Metrics.MacroAccuracy, 12);
        }
        // Every row is held out exactly once across the folds.
        Assert.Equal(210, folds.Sum(f => f.ScoredHoldOutSet.GetColumn<string>("Label").Count()));
    }
}
