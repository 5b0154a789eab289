using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline;

public class MulticlassTrainerTests
{
    private static DataTable Data() => DataTable.Create(
        ("Features", new[] { new[] { 0f, 0f }, new[] { 0.1f, 0f }, new[] { 3f, 3f }, new[] { 3f, 2.9f } }),
        ("Label", new[] { "Q3", "Q3", "Q1", "Q1" }));

    [Fact]
    public void Fit_predicts_labels_and_scores_with_sorted_class_order()
    {
        var model = new CentroidTrainer(new MulticlassColumns()).Fit(Data());
        var outp = model.Transform(Data());
        Assert.Equal(["Q3", "Q3", "Q1", "Q1"], outp.Column<string>(MulticlassColumns.PredictedLabel).ToArray());
        Assert.Equal(["Q1", "Q3"], outp.Schema[MulticlassColumns.Score]!.SlotNames);
        var s = outp.Column<float[]>(MulticlassColumns.Score)[0];
        Assert.Equal(1f, s.Sum(), 5);
    }

    [Fact]
    public void Saved_prediction_model_loads_without_registration_and_predicts_identically()
    {
        var model = new CentroidTrainer(new MulticlassColumns()).Fit(Data());
        var path = Path.Combine(TestPaths.TempDir(), "c.hfbmodel");
        ModelFile.Save(model, Data().Schema, path);
        var loaded = ModelFile.Load(path, out _);
        Assert.Equal(model.Transform(Data()).Column<float[]>("Score").ToArray(), loaded.Transform(Data()).Column<float[]>("Score").ToArray());
    }

    [Fact]
    public void Single_class_empty_data_and_label_as_feature_fail_before_training()
    {
        var one = DataTable.Create(("Features", new[] { new[] { 0f }, new[] { 1f } }), ("Label", new[] { "Q1", "Q1" }));
        Assert.Contains("single class", Assert.Throws<DatasetException>(() => new CentroidTrainer(new()).Fit(one)).Message);
        Assert.Contains("never be a model input", Assert.Throws<SchemaMismatchException>(() => new CentroidTrainer(new("Label", "Label"))).Message);
        var nan = DataTable.Create(("Features", new[] { new[] { float.NaN }, new[] { 1f } }), ("Label", new[] { "Q1", "Q2" }));
        Assert.Contains("non-finite", Assert.Throws<DatasetException>(() => new CentroidTrainer(new()).Fit(nan)).Message);
        var wrongType = DataTable.Create(("Features", new[] { 1f, 2f }), ("Label", new[] { "Q1", "Q2" }));
        Assert.Contains("PoolSequence", Assert.Throws<SchemaMismatchException>(() => new CentroidTrainer(new()).Fit(wrongType)).Message);
    }
}
