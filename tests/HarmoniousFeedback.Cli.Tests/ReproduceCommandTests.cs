using HarmoniousFeedback.Cli.Tests.ToyModel;
using HarmoniousFeedback.Pipeline.Registry;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class ReproduceCommandTests
{
    [Fact]
    public void A_model_added_with_one_file_and_one_registration_line_runs_through_hfb_reproduce_from_a_spec_file()
    {
        ModelRegistry.Default.Register(new NearestCentroidModelKind()); // the registration line
        var root = Hfb.TempDir();
        var spec = Path.Combine(root, "toy.json");
        File.WriteAllText(spec, """
        { "name": "toy-model", "dataset": { "kind": "synthetic", "clips": 24, "seed": 3 },
          "models": [
            { "name": "Nearest centroid", "type": "toy-centroid", "params": { "metric": "manhattan" } },
            { "name": "LDA", "type": "lda", "params": { "solver": "lsqr", "shrinkage": "auto" } }
          ],
          "evaluations": [ { "scheme": "grouped-kfold", "folds": 2, "repeats": 1, "seed": 5, "bootstrap": 100 } ] }
        """);
        var r = Hfb.Run("reproduce", spec, "--results", Path.Combine(root, "results"), "--data", Path.Combine(root, "data"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("| Nearest centroid |", r.StdOut);
        var metrics = Directory.GetFiles(Path.Combine(root, "results", "toy-model"), "metrics.json", SearchOption.AllDirectories).Single();
        Assert.Contains("\"Nearest centroid\"", File.ReadAllText(metrics));

        // The registry lists it, with its parameter, for `hfb model list` and `hfb baseline`.
        var models = Hfb.Run("model", "list");
        Assert.Contains("toy-centroid", models.StdOut);
        Assert.Contains("metric", models.StdOut);

        // A bad parameter value fails before any work, naming the key, the value and what is allowed.
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("\"manhattan\"", "\"cosine\""));
        var bad = Hfb.Run("reproduce", spec, "--results", Path.Combine(root, "results"), "--data", Path.Combine(root, "data"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("models[0].params.metric = 'cosine' is not allowed (allowed: euclidean, manhattan)", bad.StdErr);
    }
}

public class ReproduceCommandErrorTests
{
    [Fact]
    public void Bad_arguments_are_one_line_errors_before_any_work()
    {
        var root = Hfb.TempDir();
        var data = Path.Combine(root, "data");
        var bogus = Hfb.Run("reproduce", "--bogus-option");
        Assert.Equal(2, bogus.ExitCode);
        Assert.Contains("unknown option '--bogus-option'", bogus.StdErr);

        var missing = Hfb.Run("reproduce", Path.Combine(root, "missing.json"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("missing.json' does not exist", missing.StdErr);

        var threads = Hfb.Run("reproduce", "--threads", "0", "--parallel-units", "0", "--data", data, "--results", Path.Combine(root, "results"));
        Assert.Equal(2, threads.ExitCode);
        Assert.Contains("--threads = 0 must be >= 1; --parallel-units = 0 must be >= 1", threads.StdErr);
        Assert.False(Directory.Exists(data), "nothing may be prepared before the options are validated");
        // Without --parallel-units (it defaults to --threads) only --threads is named.
        var threadsOnly = Hfb.Run("reproduce", "--threads", "0", "--data", data, "--results", Path.Combine(root, "results"));
        Assert.Equal(2, threadsOnly.ExitCode);
        Assert.Contains("--threads = 0 must be >= 1", threadsOnly.StdErr);
        Assert.DoesNotContain("--parallel-units", threadsOnly.StdErr);
        Assert.False(Directory.Exists(data), "nothing may be prepared before the options are validated");
        foreach (var r in new[] { bogus, missing, threads, threadsOnly })
        {
            Assert.Single(r.StdErr.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", r.StdErr);
        }
    }

    [Fact]
    public void Relative_dataset_sources_resolve_from_the_spec_files_folder()
    {
        var root = Hfb.TempDir();
        var specDir = Path.Combine(root, "specs");
        Directory.CreateDirectory(specDir);
        File.WriteAllText(Path.Combine(specDir, "mine.json"), """
        { "name": "mine", "dataset": { "kind": "folder", "source": "rec", "sampleRate": 16000 },
          "models": [ { "name": "LDA", "type": "lda" } ], "evaluations": [ { "scheme": "grouped-kfold" } ] }
        """);
        var r = Hfb.Run("reproduce", Path.Combine(specDir, "mine.json"), "--data", Path.Combine(root, "data"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"resolved to {Path.Combine(specDir, "rec")}", r.StdErr);
    }
}
