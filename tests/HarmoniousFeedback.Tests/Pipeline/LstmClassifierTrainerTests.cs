using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline;

public class LstmClassifierTrainerTests
{
    /// <summary>Sequences of 3–6 steps × 5 features; class k has a bump on feature k in a random step, plus noise.</summary>
    private static DataTable Toy(int n, int seed)
    {
        var rng = new Random(seed);
        var seqs = new FeatureMatrix[n];
        var labels = new string[n];
        var groups = new string[n];
        for (int i = 0; i < n; i++)
        {
            int k = i % 3, t = 3 + rng.Next(4);
            var d = new float[t * 5];
            for (int j = 0; j < d.Length; j++) d[j] = (float)(0.3 * rng.NextDouble());
            d[rng.Next(t) * 5 + k] += 1f;
            seqs[i] = new FeatureMatrix(d, t, 5, ["a", "b", "c", "d", "e"], Enumerable.Range(0, t).Select(s => 3.0 * s).ToArray());
            labels[i] = "C" + k;
            groups[i] = "song" + (i / 4);
        }
        return DataTable.Create(("Lld", seqs), ("Label", labels), ("Group", groups));
    }

    private static LstmClassifierOptions Fast => LstmClassifierOptions.Tuned with { HiddenSize = 16, AttentionDim = 8, MaxEpochs = 60, Dropout = 0.1f, BatchSize = 16 };

    [Fact]
    public void Lstm_with_attention_learns_a_separable_sequence_task_and_is_deterministic()
    {
        var train = Toy(150, 1);
        var test = Toy(60, 2);
        PredictionTransformerFor(train, 5, out var a);
        PredictionTransformerFor(train, 5, out var b);
        var pa = a.Transform(test);
        var acc = pa.Column<string>("PredictedLabel").ToArray().Zip(test.Column<string>("Label").ToArray()).Count(z => z.First == z.Second) / 60.0;
        Assert.True(acc > 0.9, $"accuracy {acc}");
        Assert.Equal(pa.Column<float[]>("Score").ToArray(), b.Transform(test).Column<float[]>("Score").ToArray());
        var model = (LstmMulticlassModel)a.Model;
        Assert.NotEmpty(model.History);
        Assert.Contains("val_loss", model.History[0].Metrics.Keys);
    }

    private static void PredictionTransformerFor(DataTable train, int seed, out MulticlassPredictionTransformer t)
        => t = new LstmClassifierTrainer(new MulticlassColumns("Lld", "Label"), Fast, seed).Fit(train);

    [Fact]
    public void Saved_lstm_model_predicts_identically_after_loading()
    {
        var train = Toy(60, 3);
        var model = new LstmClassifierTrainer(new MulticlassColumns("Lld", "Label"), Fast with { MaxEpochs = 5, Attention = false }, 1).Fit(train);
        var path = Path.Combine(TestPaths.TempDir(), "lstm.hfbmodel");
        ModelFile.Save(model, train.Schema, path);
        var loaded = ModelFile.Load(path, out _);
        Assert.Equal(model.Transform(train).Column<float[]>("Score").ToArray(), loaded.Transform(train).Column<float[]>("Score").ToArray());
    }

    [Fact]
    public void Validation_split_never_splits_a_group()
    {
        var groups = Enumerable.Range(0, 40).Select(i => "g" + (i / 3)).ToArray();
        var (tr, va) = LstmClassifierTrainer.ValidationSplit(groups, 0.2, 9);
        Assert.Equal(40, tr.Length + va.Length);
        Assert.NotEmpty(va);
        Assert.Empty(tr.Select(i => groups[i]).Intersect(va.Select(i => groups[i])));
    }

    [Fact]
    public void Invalid_hyperparameters_are_all_reported_before_training()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new LstmClassifierTrainer(new MulticlassColumns("Lld", "Label"),
            LstmClassifierOptions.Method with { Layers = 4, Dropout = 1.5f, LearningRate = -1 }, 0));
        Assert.Contains("Layers = 4 must be in [1, 3]", e.Message);
        Assert.Contains("Dropout = 1.5", e.Message);
        Assert.Contains("LearningRate = -1", e.Message);
    }
}
