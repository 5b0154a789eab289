using HarmoniousFeedback.Experiments;
using Xunit;

namespace HarmoniousFeedback.Tests.Experiments;

public class ExperimentSweepTests
{
    private const string Spec = """
    { "name": "sweep", "dataset": { "kind": "synthetic", "clips": 24, "seed": 3 },
      "models": [
        { "name": "SVM", "type": "svm", "params": { "kernel": "rbf" }, "grid": { "c": [1, 10], "gamma": ["scale", 0.1] }, "seeds": [1, 2] },
        { "name": "LDA", "type": "lda" }
      ],
      "evaluations": [ { "scheme": "grouped-kfold", "folds": 2, "repeats": 1, "seed": 5, "bootstrap": 100 } ] }
    """;

    [Fact]
    public void A_sweep_expands_into_one_row_per_grid_point_and_seed_in_grid_order()
    {
        var plan = ExperimentPlan.Create(ExperimentSpec.Parse(Spec));
        Assert.Equal(9, plan.Models.Count);
        Assert.Equal("SVM (c=1, gamma=scale, seed=1)", plan.Models[0].Name);
        Assert.Equal("SVM (c=10, gamma=0.1, seed=2)", plan.Models[7].Name);
        Assert.Equal("LDA", plan.Models[8].Name);
        Assert.Equal("SVM", plan.Models[3].SweepOf);
        Assert.Equal([KeyValuePair.Create("c", "1"), KeyValuePair.Create("gamma", "0.1")], plan.Models[3].SweepPoint);
        Assert.Null(plan.Models[8].SweepOf);
        Assert.Equal(18, plan.UnitCount);
        var svm = (HarmoniousFeedback.Pipeline.Registry.ModelKind<HarmoniousFeedback.Models.Classical.SvmOptions>.Configured)plan.Models[7].Model;
        Assert.Equal(10, svm.Options.C);
        Assert.Equal(HarmoniousFeedback.Models.Classical.SvmGamma.Of(0.1), svm.Options.Gamma);
    }

    [Fact]
    public void Sweep_values_are_validated_like_parameters_and_reported_once()
    {
        var e = Assert.Throws<ExperimentSpecException>(() => ExperimentSpec.Parse(Spec.Replace("\"gamma\": [\"scale\", 0.1]", "\"gamma\": [\"wide\"]").Replace("\"params\": { \"kernel\": \"rbf\" }", "\"params\": { \"kernel\": \"rbf\", \"c\": 3 }")));
        Assert.Contains("models[0].grid.c is also set in params", e.Message);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(e.Message, "gamma = 'wide' is not allowed"));
    }

    [Fact]
    public void A_run_summarises_each_grid_point_over_folds_and_seeds()
    {
        var root = TestPaths.TempDir("hfb-sweep");
        var result = new ExperimentRunner(ExperimentSpec.Parse(Spec), new RunnerOptions { DataRoot = Path.Combine(root, "data"), ResultsRoot = Path.Combine(root, "results") }).Run();
        var sweeps = File.ReadAllText(Path.Combine(result.RunFolder, "grouped-2fold-x1", "sweeps.md"));
        Assert.Equal(4, sweeps.Split('\n').Count(l => l.StartsWith("| SVM |", StringComparison.Ordinal)));
        Assert.Contains("| 1, 2 | 4 |", sweeps); // both seeds pooled: 2 folds × 2 seeds = 4 units per point
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(result.RunFolder, "metrics.json")))!;
        var points = metrics["evaluations"]!["grouped-2fold-x1"]!["sweeps"]!.AsArray();
        Assert.Equal(4, points.Count);
        Assert.Equal(4, (int)points[0]!["accuracy"]!["n"]!);
    }
}
