using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

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
