using HarmoniousFeedback.Evaluation;
using Xunit;

namespace HarmoniousFeedback.Tests.Evaluation;

public class ClassificationReportTests
{
    [Fact]
    public void Pooled_and_per_fold_metrics()
    {
        // fold 0: 3 of 4 right; fold 1: 4 of 4 right → per-fold accuracy .75, 1 (mean .875, std .1767767); pooled 7/8
        var preds = new[]
        {
            new Prediction("a", 0, 0, "x", "x"), new Prediction("b", 0, 0, "y", "y"), new Prediction("c", 0, 0, "x", "y"), new Prediction("d", 0, 0, "y", "y"),
            new Prediction("e", 1, 0, "x", "x"), new Prediction("f", 1, 0, "y", "y"), new Prediction("g", 1, 0, "x", "x"), new Prediction("h", 1, 0, "y", "y"),
        };
        var r = ClassificationReport.From(preds);
        Assert.Equal(7.0 / 8, r.Accuracy, 1e-12);
        Assert.Equal([0.75, 1.0], r.FoldAccuracy.Select(f => f.Value));
        Assert.Equal(0.875, r.AccuracySummary.Mean, 1e-12);
        Assert.Equal(Math.Sqrt(2 * 0.125 * 0.125), r.AccuracySummary.Std, 1e-12);
        // fold 0 macro-F1: x: tp1 fp0 fn1 → 2/3; y: tp2 fp1 fn0 → 4/5 → mean 11/15
        Assert.Equal(11.0 / 15, r.FoldMacroF1[0].Value, 1e-12);
        Assert.Equal(2, r.PerClass.Count);
        Assert.Equal(8, r.Count);
        var bundle = r.ToMimeBundle();
        Assert.Contains("macro avg", bundle["text/plain"]);
        Assert.Contains("<table", bundle["text/html"]);
        Assert.Equal(["text/plain", "text/html"], bundle.Keys);
        Assert.Throws<MetricInputException>(() => ClassificationReport.From([]));
    }
}
