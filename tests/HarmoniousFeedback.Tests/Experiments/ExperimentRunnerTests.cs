using HarmoniousFeedback.Experiments;
using Xunit;

namespace HarmoniousFeedback.Tests.Experiments;

public class ExperimentRunnerTests
{
    private const string Spec = """
    { "name": "tiny", "dataset": { "kind": "synthetic", "clips": 24, "seed": 3 },
      "features": { "segmentSeconds": 3.0 },
      "models": [
        { "name": "LSTM+AM", "type": "lstm", "params": { "preset": "tuned", "hidden": 8, "attentionDim": 4, "epochs": 3, "patience": null, "validationFraction": 0 } },
        { "name": "LDA", "type": "lda", "params": { "solver": "lsqr", "shrinkage": "auto" } }
      ],
      "evaluations": [ { "scheme": "grouped-kfold", "folds": 2, "repeats": 1, "seed": 5, "bootstrap": 200 } ] }
    """;

    [Fact]
    public void Runs_end_to_end_deterministically_and_resumes_from_completed_units()
    {
        var root = TestPaths.TempDir("hfb-run");
        var options = new RunnerOptions { DataRoot = Path.Combine(root, "data"), ResultsRoot = Path.Combine(root, "results") };
        var spec = ExperimentSpec.Parse(Spec);
        var first = new ExperimentRunner(spec, options).Run();
        Assert.Equal(4, first.UnitsComputed);
        string dir = first.RunFolder;
        foreach (var f in new[] { "manifest.json", "metrics.json", "predictions.csv",
                                  "grouped-2fold-x1/table1.md", "grouped-2fold-x1/table1.tex", "grouped-2fold-x1/table1.csv",
                                  "grouped-2fold-x1/table2.md", "grouped-2fold-x1/significance.md",
                                  "grouped-2fold-x1/figures/confusion-lda.svg", "grouped-2fold-x1/figures/training-curves.svg" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        var metrics = File.ReadAllText(Path.Combine(dir, "metrics.json"));
        PaperOutputsAgreeWithMetrics(dir, metrics);
        Assert.DoesNotContain("totalSeconds", metrics); // timings live in manifest.json only
        Assert.DoesNotContain("startedUtc", metrics);

        // Start again: every unit is reused and the metrics are byte-identical.
        var again = new ExperimentRunner(spec, options).Run();
        Assert.Equal(0, again.UnitsComputed);
        Assert.Equal(4, again.UnitsReused);
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(dir, "metrics.json")));

        // Recompute everything from scratch: the same numbers (determinism, not reuse).
        var fresh = new ExperimentRunner(spec, options with { Fresh = true }).Run();
        Assert.Equal(4, fresh.UnitsComputed);
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(dir, "metrics.json")));

        // Every clip is tested exactly once per repeat (that no song sits on both sides of a split is checked on the
        // plan's splits in ExperimentPlanTests.Grouped_cv_never_puts_one_song_on_both_sides_and_tests_every_clip_once_per_repeat).
        var lines = File.ReadAllLines(Path.Combine(dir, "predictions.csv")).Skip(1).Select(l => l.Split(',')).Where(c => c[1] == "LDA").ToList();
        Assert.Equal(24, lines.Count);
        Assert.Equal(24, lines.Select(c => c[2]).Distinct().Count());
    }

    /// <summary>The paper outputs of the tiny run: same CI as metrics.json, unique labels, readable captions, Δ in pp,
    /// pooled confusion figures, one file name per model.</summary>
    private static void PaperOutputsAgreeWithMetrics(string dir, string metricsText)
    {
        const string scheme = "grouped-2fold-x1";
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(metricsText)!;
        // Table 1's CI is the metrics.json interval (same B = 200, level and seed), in % with one decimal.
        var ci = metrics["evaluations"]![scheme]!["models"]!["LDA"]!["accuracyCi95"]!.AsArray().Select(v => (double)v!).ToArray();
        var row = File.ReadAllLines(Path.Combine(dir, scheme, "table1.csv")).Single(l => l.StartsWith("LDA,", StringComparison.Ordinal));
        Assert.Contains($"[{(100 * ci[0]).ToString("F1", inv)}, {(100 * ci[1]).ToString("F1", inv)}]", row);
        Assert.Contains("B = 200", File.ReadAllText(Path.Combine(dir, scheme, "table1.md")));
        // LaTeX labels carry the experiment and the protocol and differ between the three tables.
        string T(string name) => File.ReadAllText(Path.Combine(dir, scheme, name + ".tex"));
        Assert.Contains($"\\label{{tab:tiny-{scheme}-t1}}", T("table1"));
        Assert.Contains($"\\label{{tab:tiny-{scheme}-t2}}", T("table2"));
        Assert.Contains($"\\label{{tab:tiny-{scheme}-sig}}", T("significance"));
        // Captions say what the data and protocol are, not the spec's name or the scheme's folder id.
        foreach (var t in new[] { "table1", "table2", "significance" })
        {
            var caption = T(t).Split('\n').Single(l => l.StartsWith("\\caption{", StringComparison.Ordinal));
            Assert.DoesNotContain("tiny", caption);
            Assert.DoesNotContain(scheme, caption);
            Assert.Contains("the synthetic corpus (24 clips), song-grouped stratified 2-fold CV", caption);
        }
        Assert.Contains("(pp)", T("significance"));
        // Confusion figures say what they pool; units and figures share the model's file name.
        Assert.Contains("pooled over 2 evaluation unit(s)", File.ReadAllText(Path.Combine(dir, scheme, "figures", "confusion-lstm+am.svg")));
        Assert.True(File.Exists(Path.Combine(dir, "units", scheme, "lstm+am", "r0-f0.json")));
    }

    [Fact]
    public void Bad_hyperparameters_and_missing_sources_fail_before_any_work()
    {
        // Both problems are reported at once, each with its JSON path, when the spec is read.
        var e = Assert.Throws<ExperimentSpecException>(() => ExperimentSpec.Parse(Spec.Replace("\"epochs\": 3", "\"epochs\": 3, \"layrs\": 2").Replace("\"solver\": \"lsqr\"", "\"solver\": \"qr\"")));
        Assert.Contains("models[0].params.layrs is not a parameter of a lstm model (allowed: preset, layers", e.Message);
        Assert.Contains("models[1].params.solver = 'qr' is not allowed (allowed: svd, lsqr, eigen)", e.Message);

        var missing = ExperimentSpec.Parse("""
        { "name": "m", "dataset": { "kind": "emopia", "source": "no/such/folder" }, "models": [ { "name": "LDA", "type": "lda" } ],
          "evaluations": [ { "scheme": "official-split" } ] }
        """);
        var m = Assert.Throws<ExperimentSpecException>(() => new ExperimentRunner(missing, new RunnerOptions { BaseDirectory = TestPaths.TempDir() })).Message;
        Assert.True(m.Contains("does not exist"), m);
    }

    [Fact]
    public void A_one_model_run_writes_its_tables_without_a_significance_table()
    {
        var root = TestPaths.TempDir("hfb-run-one");
        var options = new RunnerOptions { DataRoot = Path.Combine(root, "data"), ResultsRoot = Path.Combine(root, "results") };
        var two = ExperimentSpec.Parse(Spec);
        var spec = two with { Models = [two.Models[1]] };
        var result = new ExperimentRunner(spec, options).Run();
        Assert.Equal(2, result.UnitsComputed);
        Assert.True(File.Exists(Path.Combine(result.RunFolder, "grouped-2fold-x1", "table1.md")));
        Assert.False(File.Exists(Path.Combine(result.RunFolder, "grouped-2fold-x1", "significance.md")), "one model has nothing to compare");
        Assert.Empty(result.Significance);
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(result.RunFolder, "metrics.json")))!;
        var eval = metrics["evaluations"]!["grouped-2fold-x1"]!;
        Assert.Equal("LDA", (string?)eval["best"]);
        Assert.Empty(eval["comparisons"]!.AsArray());
    }

    [Fact]
    public void A_model_can_read_clip_level_mfcc_statistics_beside_the_lld_models()
    {
        var root = TestPaths.TempDir("hfb-run-mfcc");
        var options = new RunnerOptions { DataRoot = Path.Combine(root, "data"), ResultsRoot = Path.Combine(root, "results") };
        var spec = ExperimentSpec.Parse(Spec.Replace("""
        { "name": "LDA", "type": "lda", "params": { "solver": "lsqr", "shrinkage": "auto" } }
""".Trim(), """
        { "name": "LDA", "type": "lda", "params": { "solver": "lsqr", "shrinkage": "auto" } },
        { "name": "SVM (MFCC)", "type": "svm", "features": "mfcc", "params": { "c": 10 } }
""".Trim()));
        Assert.Equal("mfcc", spec.Models[2].FeatureKind(spec.Features.Kind));
        Assert.Equal("lld", spec.Models[1].FeatureKind(spec.Features.Kind));
        var result = new ExperimentRunner(spec, options).Run();
        Assert.Equal(6, result.UnitsComputed);
        var preds = result.Predictions["grouped-2fold-x1"]["SVM (MFCC)"];
        Assert.Equal(24, preds.Count);
        Assert.Contains("SVM (MFCC)", File.ReadAllText(Path.Combine(result.RunFolder, "grouped-2fold-x1", "table1.md")));
    }

    [Fact]
    public void Mfcc_features_are_for_classical_models_only()
    {
        var lstmOnMfcc = Spec.Replace("\"features\": { \"segmentSeconds\": 3.0 }", "\"features\": { \"kind\": \"mfcc\" }");
        var e = Assert.Throws<ExperimentSpecException>(() => ExperimentSpec.Parse(lstmOnMfcc));
        Assert.Contains("models[0] ('LSTM+AM'): a lstm model reads Sequence<float>[*, *], but view 'mfcc' is Vector<float>[40]", e.Message);
        var unknown = Spec.Replace("\"type\": \"lda\",", "\"type\": \"lda\", \"features\": \"chroma\",");
        Assert.Contains($"models[1].views: 'chroma' is not a known feature view (allowed: {string.Join(", ", HarmoniousFeedback.Pipeline.Views.FeatureViewRegistry.Default.Names)})",
            Assert.Throws<ExperimentSpecException>(() => ExperimentSpec.Parse(unknown)).Message);
        // A model without its own "features" keeps the spec's JSON (and so its run id) unchanged.
        Assert.DoesNotContain("\"features\": null", ExperimentSpec.Parse(Spec).ToJson());
    }

}
