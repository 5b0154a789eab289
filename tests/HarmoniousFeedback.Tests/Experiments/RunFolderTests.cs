using System.Text.Json.Nodes;
using HarmoniousFeedback.Experiments;
using Xunit;

namespace HarmoniousFeedback.Tests.Experiments;

public class RunFolderTests
{
    private static ExperimentSpec Spec() => ExperimentSpec.Load(Path.Combine(TestPaths.RepoRoot, "experiments", "paper-table1-synthetic.json"));

    [Fact]
    public void Same_spec_and_data_open_the_same_folder_and_reuse_units()
    {
        var root = TestPaths.TempDir();
        var a = RunFolder.Open(root, Spec(), "data-1");
        a.SaveUnit("svm/grouped-kfold/r0-f0", new[] { 1, 2, 3 });
        var b = RunFolder.Open(root, Spec(), "data-1");
        Assert.Equal(a.Path, b.Path);
        Assert.True(b.TryLoadUnit<int[]>("svm/grouped-kfold/r0-f0", out var v));
        Assert.Equal([1, 2, 3], v);
        Assert.NotEqual(a.Path, RunFolder.Open(root, Spec(), "data-2").Path);
        var fresh = RunFolder.Open(root, Spec(), "data-1", fresh: true);
        Assert.False(fresh.TryLoadUnit<int[]>("svm/grouped-kfold/r0-f0", out _));
    }

    [Fact]
    public void A_corrupt_unit_is_recomputed_not_trusted()
    {
        var run = RunFolder.Open(TestPaths.TempDir(), Spec(), "d");
        run.SaveUnit("u", new[] { 1 });
        File.WriteAllText(Directory.GetFiles(Path.Combine(run.Path, "units"), "*.json", SearchOption.AllDirectories)[0], "{ truncated");
        Assert.False(run.TryLoadUnit<int[]>("u", out _));
    }

    [Fact]
    public void Canonical_json_sorts_keys_and_is_stable()
    {
        var x = new JsonObject { ["b"] = 1.5, ["a"] = new JsonObject { ["z"] = 1, ["y"] = new JsonArray(3, 2) } };
        var y = new JsonObject { ["a"] = new JsonObject { ["y"] = new JsonArray(3, 2), ["z"] = 1 }, ["b"] = 1.5 };
        Assert.Equal(RunFolder.CanonicalJson(x), RunFolder.CanonicalJson(y));
        Assert.True(RunFolder.CanonicalJson(x).IndexOf("\"a\"", StringComparison.Ordinal) < RunFolder.CanonicalJson(x).IndexOf("\"b\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Git_commit_is_read_from_the_repository()
    {
        var commit = Provenance.GitCommit(TestPaths.RepoRoot);
        Assert.True(commit == "unknown" || commit.Length == 40, commit);
    }
}
