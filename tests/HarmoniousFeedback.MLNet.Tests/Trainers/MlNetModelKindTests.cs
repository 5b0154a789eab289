using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Tests.Pipeline;
using Xunit;

namespace HarmoniousFeedback.MLNet.Tests.Trainers;

public class MlNetModelKindTests
{
    private static DataTable Data()
    {
        var rng = new Random(5);
        int n = 60;
        return DataTable.Create(
            ("Label", Enumerable.Range(0, n).Select(i => $"c{i % 3}").ToArray()),
            ("Vec", Enumerable.Range(0, n).Select(i => new[] { (float)(i % 3 + 0.5 * rng.NextDouble()), (float)rng.NextDouble(), (float)(i % 3 * 0.3 + rng.NextDouble()) }).ToArray()));
    }

    public static TheoryData<string> Kinds => new() { "mlnet-lightgbm", "mlnet-sdca", "mlnet-fasttree" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Registered_ml_net_kinds_pass_the_estimator_workout(string kind)
    {
        var registry = MLNetModels.Register(ModelRegistry.CreateBuiltIn());
        Assert.Contains(kind, registry.Names);
        var parameters = kind == "mlnet-lightgbm" ? new Dictionary<string, object?> { ["minimumExampleCountPerLeaf"] = 2, ["numberOfIterations"] = 20 } : null;
        EstimatorWorkout.Run(s => new HfContext(s).MulticlassClassification.Trainers.Create(kind, "Vec", parameters, registry: registry), Data(), "Vec");
    }

    [Fact]
    public void Unknown_parameters_name_the_ml_net_options()
    {
        var registry = MLNetModels.Register(ModelRegistry.CreateBuiltIn());
        var e = Assert.Throws<OptionsValidationException>(() => registry.Get("mlnet-fasttree").Configure(
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>("""{ "trees": 5 }""")));
        Assert.Contains("trees is not a parameter of a mlnet-fasttree model (allowed: numberOfLeaves, numberOfTrees, minimumExampleCountPerLeaf, learningRate)", e.Message);
    }
}
