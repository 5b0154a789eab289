using HarmoniousFeedback.Data;
using HarmoniousFeedback.Experiments;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline;
using Xunit;

namespace HarmoniousFeedback.Tests.Experiments;

/// <summary>The three parts of a run, each on its own: plan (spec → units), execute (unit → predictions), summarise (predictions → files).</summary>
public class ExperimentPlanTests
{
    private const string Spec = """
    { "name": "parts", "dataset": { "kind": "synthetic", "clips": 24, "seed": 3 },
      "models": [
        { "name": "LDA", "type": "lda", "params": { "solver": "lsqr", "shrinkage": "auto" } },
        { "name": "SVM (MFCC)", "type": "svm", "features": "mfcc" }
      ],
      "evaluations": [ { "scheme": "grouped-kfold", "folds": 2, "repeats": 2, "seed": 5, "bootstrap": 100 } ] }
    """;

    /// <summary>A clip index without any dataset folder: 30 clips of 10 songs (3 clips each), labels by song.</summary>
    private static ClipIndex Clips()
    {
        var dir = TestPaths.TempDir("hfb-plan");
        var clips = Enumerable.Range(0, 30).Select(i => new ManifestClip
        {
            Id = $"c{i:D2}", Group = $"song{i / 3}", Label = $"Q{1 + (i / 3) % 3}", Audio = $"audio/c{i:D2}.wav", AudioSha256 = "0",
        }).ToList();
        var manifest = Manifest.Create("toy", "memory", null, ["Q1", "Q2", "Q3"], clips);
        return ClipIndex.From(new PreparedData(new Dataset("toy", "memory", []), manifest, dir, "toy"), null);
    }

    [Fact]
    public void Plan_resolves_models_and_views_and_makes_one_unit_per_model_and_split()
    {
        var plan = ExperimentPlan.Create(ExperimentSpec.Parse(Spec));
        Assert.Equal(["lld", "mfcc"], plan.ViewOrder);
        Assert.Equal(["lld"], plan.Models[0].Views);
        Assert.Equal(["mfcc"], plan.Models[1].Views);
        var scheme = Assert.Single(plan.Units(Clips()));
        Assert.Equal("grouped-2fold-x2", scheme.Name);
        Assert.Equal(4, scheme.Splits.Count);
        Assert.Equal(8, scheme.Units.Count);
        Assert.Equal("grouped-2fold-x2/svm--mfcc/r1-f0", scheme.Units[6].Key);
        Assert.Equal(ExperimentPlan.StableSeed("5/grouped-2fold-x2/LDA/0/1"), scheme.Units[1].Seed);
        Assert.Equal(scheme.Units.Select(u => u.Seed), ExperimentPlan.Create(ExperimentSpec.Parse(Spec)).Units(Clips())[0].Units.Select(u => u.Seed));
    }

    [Fact]
    public void Grouped_cv_never_puts_one_song_on_both_sides_and_tests_every_clip_once_per_repeat()
    {
        var clips = Clips();
        var scheme = ExperimentPlan.Create(ExperimentSpec.Parse(Spec)).Units(clips)[0];
        foreach (var split in scheme.Splits)
        {
            var trainSongs = split.Train.Select(i => clips.Groups[i]).ToHashSet();
            Assert.DoesNotContain(split.Test, i => trainSongs.Contains(clips.Groups[i]));
        }
        foreach (var repeat in scheme.Splits.GroupBy(s => s.Repeat))
            Assert.Equal(Enumerable.Range(0, 30), repeat.SelectMany(s => s.Test).Order());
    }

    [Fact]
    public void A_unit_executes_on_a_feature_table_alone_and_normalises_on_its_training_rows()
    {
        var plan = ExperimentPlan.Create(ExperimentSpec.Parse(Spec));
        var clips = Clips();
        // Hand-made features: the label is visible in the first LLD column; MFCC statistics are noise.
        var rng = new Random(1);
        var lld = clips.Labels.Select(l => (object)new FeatureMatrix(Enumerable.Range(0, 2 * 50).Select(j => j % 50 == 0 ? l[1] - '0' + (float)rng.NextDouble() * 0.1f : (float)rng.NextDouble()).ToArray(),
            2, 50, LldExtractor.SegmentColumns, [0, 3])).ToList();
        var mfcc = clips.Labels.Select(_ => (object)Enumerable.Range(0, 40).Select(_ => (float)rng.NextDouble()).ToArray()).ToList();
        var table = new DataTable([
            new DataColumn<string>("Id", ColumnType.String, clips.Ids.ToArray()),
            new DataColumn<string>("Group", ColumnType.String, clips.Groups.ToArray()),
            new DataColumn<string>("Label", ColumnType.String, clips.Labels.ToArray()),
            DataColumn.FromBoxed(plan.Views["lld"].Column("lld"), lld),
            DataColumn.FromBoxed(plan.Views["mfcc"].Column("mfcc"), mfcc)]);
        var units = plan.Units(clips)[0].Units;
        var result = new UnitExecutor(plan, table).Execute(units[0]);
        Assert.Equal(units[0].Split.Test.Length, result.Predictions.Count);
        Assert.Equal(["Q1", "Q2", "Q3"], result.Classes);
        Assert.Equal(1.0, result.Accuracy);
        Assert.Equal(result.Predictions, new UnitExecutor(plan, table).Execute(units[0]).Predictions, new PredictionComparer());
    }

    private sealed class PredictionComparer : IEqualityComparer<UnitPrediction>
    {
        public bool Equals(UnitPrediction? a, UnitPrediction? b) => a!.ClipId == b!.ClipId && a.Predicted == b.Predicted && a.Probabilities.SequenceEqual(b.Probabilities);
        public int GetHashCode(UnitPrediction p) => p.ClipId.GetHashCode();
    }

    [Fact]
    public void Summaries_come_from_unit_results_alone_and_are_deterministic()
    {
        var plan = ExperimentPlan.Create(ExperimentSpec.Parse(Spec));
        var clips = Clips();
        var schemes = plan.Units(clips);
        // Fake results: LDA right on every clip, the SVM right on songs 0-4 only.
        var results = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<UnitResult>>>
        {
            [schemes[0].Name] = plan.Models.ToDictionary(m => m.Name, m => (IReadOnlyList<UnitResult>)schemes[0].Units.Where(u => u.Model == m).Select(u => new UnitResult
            {
                Scheme = u.Scheme, Model = m.Name, Repeat = u.Split.Repeat, Fold = u.Split.Fold, TrainCount = u.Split.Train.Length, Classes = ["Q1", "Q2", "Q3"],
                Predictions = u.Split.Test.Select(i => new UnitPrediction(clips.Ids[i], clips.Labels[i],
                    m.Name == "LDA" || i < 15 ? clips.Labels[i] : "Q1", [1f / 3, 1f / 3, 1f / 3])).ToList(),
            }).ToList()),
        };
        var manifest = Manifest.Create("toy", "memory", null, ["Q1", "Q2", "Q3"], []);
        var data = new PreparedData(new Dataset("toy", "memory", []), manifest, TestPaths.TempDir(), "toy");
        var runA = RunFolder.Open(TestPaths.TempDir("hfb-sum"), plan.Spec, "h");
        var a = new RunSummarizer(plan, clips, data, null).Summarize(schemes, results, runA);
        var b = new RunSummarizer(plan, clips, data, null).Summarize(schemes, results, RunFolder.Open(TestPaths.TempDir("hfb-sum"), plan.Spec, "h"));
        Assert.Equal(a.MetricsJson, b.MetricsJson);
        Assert.Equal(a.MetricsJson, File.ReadAllText(Path.Combine(runA.Path, "metrics.json")));
        Assert.Contains("\"best\": \"LDA\"", a.MetricsJson);
        Assert.Equal(60, a.Predictions[schemes[0].Name]["LDA"].Count); // 30 clips × 2 repeats
        Assert.True(File.Exists(Path.Combine(runA.Path, schemes[0].Name, "table1.md")));
    }
}

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
