using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Registry;
using Xunit;

namespace HarmoniousFeedback.Tests.Evaluation;

public class MulticlassCatalogTests
{
    private static DataTable Data()
    {
        var rng = new Random(3);
        int n = 60;
        return DataTable.Create(
            ("Id", Enumerable.Range(0, n).Select(i => $"clip{i}").ToArray()),
            ("Group", Enumerable.Range(0, n).Select(i => $"song{i / 3}").ToArray()),
            ("Label", Enumerable.Range(0, n).Select(i => $"Q{1 + (i / 3) % 3}").ToArray()),
            ("Features", Enumerable.Range(0, n).Select(i => new[] { (float)((i / 3) % 3 + 0.8 * rng.NextDouble()), (float)rng.NextDouble() }).ToArray()));
    }

    [Fact]
    public void Evaluate_reports_the_metrics_of_a_scored_table()
    {
        var ctx = new HfContext(1);
        var data = Data();
        var scored = ctx.MulticlassClassification.Trainers.Create("lda", "Features").Fit(data).Transform(data);
        var report = ctx.MulticlassClassification.Evaluate(scored);
        var truth = scored.Column<string>("Label").ToArray();
        var predicted = scored.Column<string>("PredictedLabel").ToArray();
        Assert.Equal(truth.Zip(predicted).Count(t => t.First == t.Second) / 60.0, report.Accuracy, 12);
        Assert.Equal(["Q1", "Q2", "Q3"], report.Confusion.Classes);
        Assert.Equal(60, report.Count);
    }

    [Fact]
    public void CrossValidate_with_groups_never_splits_a_song_and_tests_every_row_once()
    {
        var ctx = new HfContext(2);
        var data = Data();
        var cv = ctx.MulticlassClassification.CrossValidate(data, ctx.MulticlassClassification.Trainers.Create("svm", "Features"), numberOfFolds: 3, groupColumn: "Group");
        Assert.Equal(3, cv.Folds.Count);
        var songOf = data.Column<string>("Id").ToArray().Zip(data.Column<string>("Group").ToArray()).ToDictionary(t => t.First, t => t.Second);
        var testedSongs = cv.Folds.Select(f => f.Scored.Column<string>("Id").ToArray().Select(id => songOf[id]).ToHashSet()).ToList();
        for (int a = 0; a < 3; a++)
            for (int b = a + 1; b < 3; b++) Assert.Empty(testedSongs[a].Intersect(testedSongs[b]));
        Assert.Equal(60, cv.Overall.Count);
        Assert.Equal(3, cv.Overall.FoldAccuracy.Count);
        Assert.True(cv.Overall.Accuracy > 0.8, $"accuracy {cv.Overall.Accuracy} on separable blobs");
        // Seeded by the context: the same context seed gives the same folds and scores.
        var ctx2 = new HfContext(2);
        var again = ctx2.MulticlassClassification.CrossValidate(data, ctx2.MulticlassClassification.Trainers.Create("svm", "Features"), numberOfFolds: 3, groupColumn: "Group");
        Assert.Equal(cv.Overall.Accuracy, again.Overall.Accuracy);
    }

    [Fact]
    public void CrossValidate_fails_at_schema_time_on_a_missing_column()
    {
        var ctx = new HfContext(1);
        var e = Assert.Throws<SchemaMismatchException>(() => ctx.MulticlassClassification.CrossValidate(Data(), ctx.MulticlassClassification.Trainers.Create("svm", "Nope")));
        Assert.Contains("'Nope' not found", e.Message);
    }
}
