using HarmoniousFeedback.Evaluation;
using Xunit;

namespace HarmoniousFeedback.Tests.Evaluation;

/// <summary>
/// Expected values are derived by hand in the comments and agree with sklearn 1.2.1 (Debian python3-sklearn):
/// accuracy_score, f1_score, precision_recall_fscore_support(zero_division=0), balanced_accuracy_score, cohen_kappa_score.
/// </summary>
public class MetricsTests
{
    // truth a a a b b c / pred a a b b c c  →  C = [[2,1,0],[0,1,1],[0,0,1]]
    private static readonly string[] T = ["a", "a", "a", "b", "b", "c"];
    private static readonly string[] P = ["a", "a", "b", "b", "c", "c"];
    private const double Tol = 1e-12;

    [Fact]
    public void Confusion_counts_rows_are_truth()
    {
        var cm = ConfusionMatrix.From(T, P);
        Assert.Equal(["a", "b", "c"], cm.Classes);
        long[,] expected = { { 2, 1, 0 }, { 0, 1, 1 }, { 0, 0, 1 } };
        Assert.Equal(expected, cm.Counts);
        Assert.Equal(6, cm.Total);
        Assert.Equal(1, cm["a", "b"]);
    }

    [Fact]
    public void Scalar_metrics_match_hand_computation_and_sklearn()
    {
        var cm = ConfusionMatrix.From(T, P);
        Assert.Equal(4.0 / 6, cm.Accuracy, Tol);                      // trace 4 of 6
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, cm.MacroF1, Tol);     // sklearn 0.6555555555555556
        Assert.Equal((2.0 / 3 + 0.5 + 1) / 3, cm.BalancedAccuracy, Tol); // sklearn 0.7222222222222222
        Assert.Equal(0.5, cm.CohenKappa, Tol);                        // p_o = 2/3, p_e = (3·2+2·2+1·2)/36 = 1/3
        Assert.Equal((3 * 0.8 + 2 * 0.5 + 1 * 2.0 / 3) / 6, cm.WeightedF1, Tol); // sklearn 0.6777777777777779
        Assert.Equal((3 * 1 + 2 * 0.5 + 1 * 0.5) / 6, cm.WeightedPrecision, Tol); // sklearn precision_score(average="weighted") 0.75
        Assert.Equal(cm.Accuracy, cm.WeightedRecall, Tol);
        Assert.Equal(0.5, ClassificationMetrics.CohenKappa(T, P), Tol);
        Assert.Equal(4.0 / 6, ClassificationMetrics.Accuracy(T, P), Tol);
    }

    [Fact]
    public void Per_class_precision_recall_f1_support()
    {
        var pc = ClassificationMetrics.PerClass(T, P);
        // sklearn: precision [1, .5, .5], recall [2/3, .5, 1], f1 [.8, .5, 2/3], support [3, 2, 1]
        Assert.Equal([1, 0.5, 0.5], pc.Select(m => m.Precision));
        Assert.Equal(2.0 / 3, pc[0].Recall, Tol);
        Assert.Equal(0.5, pc[1].Recall, Tol);
        Assert.Equal(1.0, pc[2].Recall, Tol);
        Assert.Equal(0.8, pc[0].F1, Tol);
        Assert.Equal(0.5, pc[1].F1, Tol);
        Assert.Equal(2.0 / 3, pc[2].F1, Tol);
        Assert.Equal([3L, 2L, 1L], pc.Select(m => m.Support));
    }

    [Fact]
    public void Zero_division_is_zero_like_sklearn()
    {
        // 'b' is never predicted: precision 0/0 → 0, recall 0/1 = 0, F1 0; macro-F1 = (0.8 + 0)/2 (sklearn 0.4)
        var cm = ConfusionMatrix.From(["a", "a", "b"], ["a", "a", "a"]);
        Assert.Equal(0, cm.Precision(1));
        Assert.Equal(0, cm.F1(1));
        Assert.Equal(0.4, cm.MacroF1, Tol);
        // 'c' is only predicted: recall 0/0 → 0 and counts in macro averages (sklearn macro recall 0.25, macro-F1 1/3),
        // but balanced accuracy leaves it out (sklearn 0.5)
        var cm2 = ConfusionMatrix.From(["a", "a"], ["a", "c"]);
        Assert.Equal(1.0 / 3, cm2.MacroF1, Tol);
        Assert.Equal(0.25, cm2.MacroRecall, Tol);
        Assert.Equal(0.5, cm2.BalancedAccuracy, Tol);
    }

    [Fact]
    public void Kappa_is_nan_when_chance_agreement_is_one()
    {
        Assert.True(double.IsNaN(ConfusionMatrix.From(["a", "a"], ["a", "a"]).CohenKappa));
    }

    [Fact]
    public void Perfect_and_all_wrong_predictions()
    {
        string[] t = ["x", "y", "z", "x"];
        var perfect = ConfusionMatrix.From(t, t);
        Assert.Equal(1, perfect.Accuracy);
        Assert.Equal(1, perfect.MacroF1);
        Assert.Equal(1, perfect.CohenKappa, Tol);
        var wrong = ConfusionMatrix.From(t, ["y", "z", "x", "y"]);
        Assert.Equal(0, wrong.Accuracy);
        Assert.Equal(0, wrong.MacroF1);
        Assert.True(wrong.CohenKappa < 0);
    }

    [Fact]
    public void Integer_labels_are_ordered_numerically()
    {
        var cm = ConfusionMatrix.From([10, 2, 2, 1], [10, 2, 1, 1]);
        Assert.Equal(["1", "2", "10"], cm.Classes);
        Assert.Equal(0.75, cm.Accuracy, Tol);
    }

    [Fact]
    public void Row_percent_diagonal_is_recall()
    {
        var cm = ConfusionMatrix.From(T, P);
        var r = cm.RowPercent();
        for (int k = 0; k < 3; k++) Assert.Equal(100 * cm.Recall(k), r[k, k], 1e-9);
        Assert.Equal(100.0 / 3, r[0, 1], 1e-9);
        var withEmpty = ConfusionMatrix.From(["a"], ["a"], ["a", "b"]);
        Assert.Equal(0, withEmpty.RowPercent()[1, 1]); // empty row stays 0, not NaN
    }

    [Fact]
    public void Bad_inputs_are_typed_errors_naming_the_argument()
    {
        var e = Assert.Throws<MetricInputException>(() => ConfusionMatrix.From(["a", "b"], ["a"]));
        Assert.Equal("predicted", e.Argument);
        Assert.Contains("1 values", e.Message);
        Assert.Throws<MetricInputException>(() => ConfusionMatrix.From(Array.Empty<string>(), Array.Empty<string>()));
        var e2 = Assert.Throws<MetricInputException>(() => ConfusionMatrix.From(["a"], ["z"], ["a", "b"]));
        Assert.Contains("'z'", e2.Message);
    }

    [Fact]
    public void Mime_bundle_has_text_grid_and_html_table_with_row_percentages()
    {
        var b = ConfusionMatrix.From(T, P).ToMimeBundle();
        Assert.Equal(["text/plain", "text/html"], b.Keys); // the heatmap is a figure: Plotting's matrix.ToFigure()
        Assert.Contains("<table", b["text/html"]);
        Assert.Contains("33.3%", b["text/html"]);
        Assert.Contains("true\\pred", b["text/plain"]);
    }

    [Fact]
    public void Log_loss_and_top_k_from_probabilities()
    {
        static Dictionary<string, double> D(double a, double b, double c) => new() { ["a"] = a, ["b"] = b, ["c"] = c };
        var preds = new[]
        {
            new Prediction("1", 0, 0, "a", "a", D(0.7, 0.2, 0.1)),
            new Prediction("2", 0, 0, "b", "a", D(0.5, 0.3, 0.2)),
            new Prediction("3", 0, 0, "c", "a", D(0.6, 0.3, 0.1)),
        };
        // sklearn log_loss(["a","b","c"], [[.7,.2,.1],[.5,.3,.2],[.6,.3,.1]]) = −(ln .7 + ln .3 + ln .1)/3 = 1.2877442804195713
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.3) + Math.Log(0.1)) / 3, ClassificationMetrics.LogLoss(preds), 1e-12);
        Assert.Equal(1.0 / 3, ClassificationMetrics.TopKAccuracy(preds, 1), 1e-12);
        Assert.Equal(2.0 / 3, ClassificationMetrics.TopKAccuracy(preds, 2), 1e-12); // "c" is third in row 3
        Assert.Equal(1.0, ClassificationMetrics.TopKAccuracy(preds, 3), 1e-12);
        Assert.Throws<MetricInputException>(() => ClassificationMetrics.LogLoss([new Prediction("x", 0, 0, "a", "a")]));
    }
}
