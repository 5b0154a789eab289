using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Trainers;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline;

public class MultimodalTrainerTests
{
    private static readonly string[] Labels = ["Q1", "Q2", "Q3", "Q4"];

    /// <summary>
    /// n rows of 4 classes: a sequence [T × 2] whose column 0 holds the class index (+ noise), a vector [3] of pure noise,
    /// and text whose first raw id names the class (id 1000 + class), then noise ids; song = row / 2.
    /// </summary>
    private static DataTable Table(int n, int seed, bool labelInText = true)
    {
        var rng = new Random(seed);
        var y = Enumerable.Range(0, n).Select(i => i % 4).ToArray();
        var seq = y.Select((c, i) =>
        {
            int t = 2 + i % 3;
            var d = Enumerable.Range(0, t * 2).Select(j => (float)(j % 2 == 0 ? c + 0.3 * rng.NextDouble() : rng.NextDouble())).ToArray();
            return new FeatureMatrix(d, t, 2, ["signal", "noise"], Enumerable.Range(0, t).Select(k => 3.0 * k).ToArray());
        }).ToArray();
        var vec = y.Select(_ => Enumerable.Range(0, 3).Select(_ => (float)rng.NextDouble()).ToArray()).ToArray();
        var text = y.Select((c, i) => (labelInText ? new[] { 1000f + c } : []).Concat(Enumerable.Range(0, 3).Select(_ => (float)(2000 + rng.Next(5)))).ToArray()).ToArray();
        return new DataTable([
            new DataColumn<string>("Group", ColumnType.String, Enumerable.Range(0, n).Select(i => $"s{i / 2}").ToArray()),
            new DataColumn<string>("Label", ColumnType.String, y.Select(c => Labels[c]).ToArray()),
            new DataColumn<FeatureMatrix>("Seq", ColumnType.Sequence(2), seq),
            new DataColumn<float[]>("Vec", ColumnType.Vector(3), vec),
            new DataColumn<float[]>("Text", ColumnType.Vector(), text),
        ]);
    }

    private static double Accuracy(ITransformer model, DataTable test)
    {
        var scored = model.Transform(test);
        var p = scored.Column<string>(MulticlassColumns.PredictedLabel);
        var t = test.Column<string>("Label");
        return Enumerable.Range(0, test.RowCount).Count(i => p[i] == t[i]) / (double)test.RowCount;
    }

    private static readonly Dictionary<string, object?> Small = new() { ["dim"] = 16, ["heads"] = 2, ["epochs"] = 80, ["patience"] = 80, ["batchSize"] = 16, ["dropout"] = 0.1 };

    [Theory]
    [InlineData("attention")]
    [InlineData("concat")]
    [InlineData("early")]
    public void The_fusion_model_learns_a_label_carried_by_one_modality_and_ignores_the_noise_modality(string fusion)
    {
        var p = new Dictionary<string, object?>(Small) { ["fusion"] = fusion };
        var model = new HfContext(3).MulticlassClassification.Trainers.Create("fusion", ["Seq", "Vec"], p).Fit(Table(96, 1));
        // 4 classes, chance 25 %; the class is column 0 of the sequence up to ±0.3 noise: separable
        Assert.True(Accuracy(model, Table(48, 2)) >= 0.9, $"accuracy {Accuracy(model, Table(48, 2))}");
    }

    [Fact]
    public void Fusion_training_is_deterministic_for_a_seed_and_changes_with_it()
    {
        var p = new Dictionary<string, object?>(Small) { ["epochs"] = 5, ["ensemble"] = 2 };
        float[] Scores(int seed) => new HfContext(seed).MulticlassClassification.Trainers.Create("fusion", ["Seq", "Vec"], p)
            .Fit(Table(40, 1)).Transform(Table(8, 2)).Column<float[]>(MulticlassColumns.Score).ToArray().SelectMany(s => s).ToArray();
        Assert.Equal(Scores(5), Scores(5));
        Assert.NotEqual(Scores(5), Scores(6));
    }

    [Fact]
    public void The_joint_model_learns_from_text_alone_and_its_vocabulary_sees_only_training_rows()
    {
        var p = new Dictionary<string, object?>(Small) { ["minFreq"] = 1 };
        var train = Table(96, 1);
        var fitted = (MultiInputPredictionTransformer)new HfContext(3).MulticlassClassification.Trainers.Create("joint-audio-text", ["Text"], p).Fit(train);
        Assert.True(Accuracy(fitted, Table(48, 2)) >= 0.9);
        var vocab = ((JointAudioTextModel)fitted.Model).Vocabulary!;
        var seen = train.Column<float[]>("Text").ToArray().SelectMany(t => t).Select(t => (int)t).ToHashSet();
        Assert.All(vocab.RawIds, id => Assert.Contains(id, seen));
        Assert.DoesNotContain(7777, vocab.RawIds);
        // a test text made only of an unseen id maps to UNK and still gets a prediction
        var unseen = Table(4, 3).Without("Text").With(new DataColumn<float[]>("Text", ColumnType.Vector(), Enumerable.Repeat(new float[] { 7777 }, 4).ToArray()));
        Assert.Equal(4, fitted.Transform(unseen).Column<string>(MulticlassColumns.PredictedLabel).ToArray().Length);
    }

    [Fact]
    public void The_joint_model_refuses_two_text_inputs_at_schema_time()
    {
        var t = Table(8, 1).With(new DataColumn<float[]>("Text2", ColumnType.Vector(), Enumerable.Repeat(new float[] { 1 }, 8).ToArray()));
        var e = Assert.Throws<SchemaMismatchException>(() => new HfContext(1).MulticlassClassification.Trainers.Create("joint-audio-text", ["Seq", "Text", "Text2"]).GetOutputSchema(t.Schema));
        Assert.Contains("at most one text input", e.Message);
    }

    [Fact]
    public void The_fusion_model_refuses_text_tokens_at_schema_time()
    {
        var e = Assert.Throws<SchemaMismatchException>(() => new HfContext(1).MulticlassClassification.Trainers.Create("fusion", ["Seq", "Text"]).GetOutputSchema(Table(8, 1).Schema));
        Assert.Contains("'Text'", e.Message);
        Assert.Contains("joint-audio-text", e.Message);
    }

    [Fact]
    public void Classical_models_concatenate_several_views_and_pool_sequences()
    {
        var t = Table(48, 1);
        var two = new HfContext(1).MulticlassClassification.Trainers.Create("logreg", ["Seq", "Vec"]).Fit(t).Transform(t);
        var pooled = new HfContext(1).Transforms.PoolSequence("P", "Seq").Fit(t).Transform(t);
        var concat = new HfContext(1).Transforms.Concatenate("C", "P", "Vec").Fit(pooled).Transform(pooled);
        var one = new HfContext(1).MulticlassClassification.Trainers.Create("logreg", "C").Fit(concat).Transform(concat);
        Assert.Equal(one.Column<float[]>(MulticlassColumns.Score).ToArray(), two.Column<float[]>(MulticlassColumns.Score).ToArray());
        var ok = new List<string>();
        ModelRegistry.Default.Get("svm").Configure(null).CheckInputs([new ModelInput("a", "A", ColumnType.Vector(3)), new ModelInput("b", "B", ColumnType.Sequence(2))], ok);
        Assert.Empty(ok);
    }
}
