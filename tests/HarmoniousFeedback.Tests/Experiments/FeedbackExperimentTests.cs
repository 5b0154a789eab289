using System.Text.Json.Nodes;
using HarmoniousFeedback.Data.TeachingFeedback;
using HarmoniousFeedback.Experiments;
using Xunit;

namespace HarmoniousFeedback.Tests.Experiments;

public class FeedbackExperimentTests
{
    // The shipped experiments/hfn-hfi.json shrunk to seconds: 8 pieces × 2 renditions × 2 renderers of 3 s, a 2-block
    // encoder with 4/8 channels, 2 epochs. It checks the plumbing (corpus → views → HFN/HFI units → feedback metrics),
    // not the method's accuracy.
    private const string Spec = """
    { "name": "tiny-feedback",
      "dataset": { "kind": "feedback", "seed": 2, "maxPieces": 8, "renditions": 2, "excerptSeconds": 3, "renderers": "builtin,builtin-upright" },
      "features": { "kind": "mfcc" },
      "models": [
        { "name": "HFN–HFI", "type": "hfn-hfi", "params": { "channels": [4, 8], "frameHidden": 8, "nodeDim": 4, "iterations": 2, "notes": true, "epochs": 2, "batchSize": 8, "patience": null, "validationFraction": 0 } },
        { "name": "no reference stream", "type": "hfn", "features": "logmel", "params": { "channels": [4, 8], "frameHidden": 8, "reference": false, "epochs": 2, "batchSize": 8, "patience": null, "validationFraction": 0 } },
        { "name": "majority", "type": "majority" },
        { "name": "SVM (score-aligned)", "type": "svm", "features": "score-aligned", "params": { "kernel": "rbf", "c": 10, "gamma": "scale" } }
      ],
      "evaluations": [
        { "scheme": "grouped-kfold", "folds": 2, "repeats": 1, "seed": 1, "bootstrap": 200 },
        { "scheme": "held-out-renderer", "testRenderer": "builtin-upright", "folds": 2, "repeats": 1, "seed": 1, "bootstrap": 200 }
      ] }
    """;

    [Theory]
    [InlineData("hfn-hfi")]
    [InlineData("hfn-hfi-emopia")]
    public void The_shipped_feedback_specs_load_with_the_library_alone(string name)
    {
        // notebooks/04-teaching-feedback.ipynb loads experiments/hfn-hfi.json through the NuGet package, without the
        // ML.NET bridge: a model type only the bridge registers (mlnet-…) would fail it there
        var spec = ExperimentSpec.Load(Path.Combine(TestPaths.RepoRoot, "experiments", name + ".json"));
        Assert.Contains(spec.Models, m => m.Features == "score-notes");
        // the full method reads the whole reference stream, note comparison included, and one row ablates the notes alone
        Assert.True(spec.Models.Single(m => m.Name == "HFN–HFI").Params["notes"].GetBoolean());
        Assert.False(spec.Models.Single(m => m.Name == "no note comparison").Params.ContainsKey("notes"));
    }

    [Fact]
    public void A_network_told_to_read_the_notes_without_the_score_notes_view_is_refused_before_any_work()
    {
        var spec = Spec.Replace("""{ "name": "HFN–HFI", "type": "hfn-hfi", "params":""", """{ "name": "HFN–HFI", "type": "hfn-hfi", "views": ["logmel", "reference-logmel", "alignment"], "params":""");
        Assert.NotEqual(Spec, spec);
        var root = TestPaths.TempDir("hfb-fbnotes");
        var e = Assert.ThrowsAny<HarmoniousFeedbackException>(() => new ExperimentRunner(ExperimentSpec.Parse(spec),
            new RunnerOptions { DataRoot = Path.Combine(root, "data"), ResultsRoot = Path.Combine(root, "results") }).Run());
        Assert.Contains("notes = true reads one vector view", e.Message);
        Assert.False(Directory.Exists(Path.Combine(root, "data")));
    }

    [Fact]
    public void A_feedback_corpus_experiment_writes_the_feedback_table_and_tests_only_the_held_out_renderer()
    {
        var root = TestPaths.TempDir("hfb-fbrun");
        var options = new RunnerOptions { DataRoot = Path.Combine(root, "data"), ResultsRoot = Path.Combine(root, "results"), Threads = 2 };
        var result = new ExperimentRunner(ExperimentSpec.Parse(Spec), options).Run();

        Assert.Equal(16, result.UnitsComputed); // 4 models × (2 grouped folds + 2 held-out-renderer folds)
        const string heldOut = "heldout-builtin-upright-2fold-x1";
        Assert.Equal(["grouped-2fold-x1", heldOut], result.Feedback.Keys.Order(StringComparer.Ordinal));
        foreach (var f in new[] { $"{heldOut}/feedback.md", $"{heldOut}/feedback.csv", $"{heldOut}/significance-macro-f1.md", "grouped-2fold-x1/feedback.md" })
            Assert.True(File.Exists(Path.Combine(result.RunFolder, f)), f);

        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(result.RunFolder, "metrics.json")))!;
        var fb = metrics["evaluations"]![heldOut]!["feedback"]!["models"]!;
        // The HFN models report every feedback metric; the classical baselines only the dominant issue.
        foreach (var model in new[] { "HFN–HFI", "no reference stream" })
        {
            Assert.NotNull(fb[model]!["dimensionMae"]!["mean"]);
            Assert.NotNull(fb[model]!["localisation"]!["f1"]);
            Assert.NotNull(fb[model]!["emotion"]!["meanCcc"]);
        }
        Assert.Null(fb["majority"]!["dimensionMae"]);
        Assert.NotNull(fb["SVM (score-aligned)"]!["macroF1"]!["mean"]);

        // Held-out renderer: every tested clip was rendered by builtin-upright, and every piece × builtin-upright clip is tested once.
        var corpus = FeedbackDataset.Load(Directory.GetDirectories(options.DataRoot, "feedback-*").Single());
        var rendererOf = corpus.Dataset.Clips.ToDictionary(c => c.Id, c => c.Renderer);
        var tested = File.ReadAllLines(Path.Combine(result.RunFolder, "predictions.csv")).Skip(1).Select(l => l.Split(','))
            .Where(c => c[0] == heldOut && c[1] == "majority").Select(c => c[2]).ToList();
        Assert.All(tested, id => Assert.Equal("builtin-upright", rendererOf[id]));
        Assert.Equal(rendererOf.Count(kv => kv.Value == "builtin-upright"), tested.Distinct().Count());
        Assert.Equal(tested.Count, tested.Distinct().Count());
    }

    [Fact]
    public void Feedback_only_dataset_fields_and_a_renderer_not_in_the_dataset_are_rejected_with_their_paths()
    {
        var synthetic = Assert.Throws<ExperimentSpecException>(() => ExperimentSpec.Parse(Spec.Replace("\"kind\": \"feedback\", ", "\"kind\": \"synthetic\", ")));
        Assert.Contains("dataset.renditions applies only to kind feedback", synthetic.Message);
        Assert.Contains("evaluations[1].scheme = held-out-renderer needs a dataset whose clips are rendered by several renderers", synthetic.Message);
        var renderer = Assert.Throws<ExperimentSpecException>(() => ExperimentSpec.Parse(Spec.Replace("\"testRenderer\": \"builtin-upright\"", "\"testRenderer\": \"fluidsynth\"")));
        Assert.Contains("evaluations[1].testRenderer = 'fluidsynth' is not one of the dataset's renderers (builtin,builtin-upright)", renderer.Message);
    }
}
