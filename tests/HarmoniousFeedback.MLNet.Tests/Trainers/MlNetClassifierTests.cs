using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.MLNet.Trainers;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;
using Xunit;

namespace HarmoniousFeedback.MLNet.Tests.Trainers;

public class MlNetClassifierTests
{
    public static TheoryData<MlNetTrainerOptions> AllTrainers() => new()
    {
        new LightGbmTrainerOptions { Seed = 3, NumberOfIterations = 30, MinimumExampleCountPerLeaf = 5 },
        new SdcaMaximumEntropyTrainerOptions { Seed = 3 },
        new FastTreeOvaTrainerOptions { Seed = 3, NumberOfTrees = 30, MinimumExampleCountPerLeaf = 5 },
    };

    [Theory]
    [MemberData(nameof(AllTrainers))]
    public void Each_trainer_beats_chance_clearly_on_held_out_blobs_and_returns_probabilities(MlNetTrainerOptions options)
    {
        var train = Blobs.Create(300, 1);
        var test = Blobs.Create(150, 2);
        var model = MlNetClassifier.Train(train, "Features", "Label", options);
        Assert.Equal(Blobs.Classes, model.Classes);
        var predictions = model.Predict(test, "Features", "Label", "Id");
        // Means 1.5σ apart on separate axes: the Bayes classifier is right about 85 % of the time; chance is 1/3.
        Assert.InRange(ClassificationMetrics.Evaluate(predictions, ClassificationMetric.Accuracy), 0.6, 1.0);
        // Softmax / normalised OVA in float32: sums are 1 up to float rounding over 3 terms.
        Assert.All(predictions, p => Assert.Equal(1.0, p.Probabilities!.Values.Sum(), 5));
    }

    [Theory]
    [MemberData(nameof(AllTrainers))]
    public void Same_seed_and_one_thread_give_identical_probabilities(MlNetTrainerOptions options)
    {
        var train = Blobs.Create(120, 5);
        var x = train.Column<float[]>("Features").ToArray();
        var a = MlNetClassifier.Train(train, "Features", "Label", options).PredictProbabilities(x);
        var b = MlNetClassifier.Train(train, "Features", "Label", options).PredictProbabilities(x);
        Assert.Equal(a, b);
    }

    [Theory]
    [MemberData(nameof(AllTrainers))]
    public void A_toolkit_chain_with_an_ml_net_trainer_saves_and_loads_in_the_toolkit_format(MlNetTrainerOptions options)
    {
        var ctx = new HfContext(seed: 4);
        var train = Blobs.Create(90, 6);
        var model = new MlNetMulticlassTrainer(options).Fit(train);
        var path = HarmoniousFeedback.Tests.TestTemp.FilePath("hfb-mlnet", ".hfbmodel");
        ctx.Model.Save(model, train.Schema, path);
        var loaded = ctx.Model.Load(path, out _);
        File.Delete(path);
        var a = model.Transform(train);
        var b = loaded.Transform(train);
        Assert.Equal(a.Column<float[]>("Score").ToArray(), b.Column<float[]>("Score").ToArray());
        Assert.Equal(options, ((MlNetMulticlassModel)((MulticlassPredictionTransformer)loaded).Model).Options);
    }

    [Fact]
    public void Invalid_options_are_reported_together_with_their_values()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new LightGbmTrainerOptions { NumberOfIterations = 0, LearningRate = 2, NumberOfThreads = 0 }.Validate());
        Assert.Equal(3, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.Contains("NumberOfIterations = 0"));
        Assert.Contains(e.Problems, p => p.Contains("LearningRate = 2"));
    }

    [Fact]
    public void A_class_without_training_examples_is_refused_by_name()
    {
        var e = Assert.Throws<DatasetException>(() => MlNetClassifier.Train([[1f], [2f]], [0, 0], ["a", "b"], new SdcaMaximumEntropyTrainerOptions()));
        Assert.Contains("class(es) b", e.Message);
    }
}
