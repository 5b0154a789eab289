using HarmoniousFeedback.Experiments;
using Xunit;

namespace HarmoniousFeedback.Tests.Experiments;

public class ExperimentSpecTests
{
    [Fact]
    public void Every_problem_is_reported_with_its_field_and_allowed_values()
    {
        const string json = """
        { "name": "x", "dataset": { "kind": "synthetic", "clips": 3, "renderer": "timidity" },
          "features": { "normalization": "zscore" },
          "models": [ { "name": "A", "type": "transformer" }, { "name": "A", "type": "svm" } ],
          "evaluations": [ { "scheme": "grouped-kfold", "folds": 1 } ] }
        """;
        var e = Assert.Throws<ExperimentSpecException>(() => ExperimentSpec.Parse(json, "bad.json"));
        Assert.Contains("bad.json", e.Message);
        Assert.Contains("dataset.clips = 3", e.Message);
        Assert.Contains("renderer = 'timidity' is not known (allowed: builtin, fluidsynth)", e.Message);
        Assert.Contains("features.normalization = 'zscore'", e.Message);
        Assert.Contains($"models[0].type = 'transformer' is not a known model (allowed: {string.Join(", ", HarmoniousFeedback.Pipeline.Registry.ModelRegistry.Default.Names)})", e.Message);
        Assert.Contains("used twice", e.Message);
        Assert.Contains("evaluations[0].folds = 1", e.Message);
    }

    [Fact]
    public void Unknown_fields_and_enum_values_are_rejected_with_their_path_and_the_allowed_values()
    {
        var e = Assert.Throws<ExperimentSpecException>(() => ExperimentSpec.Parse(
            """{ "name": "x", "dataset": { "kind": "mp3s" }, "models": [], "evaluations": [] }""", "s.json"));
        Assert.Contains("$.dataset.kind", e.Message);
        Assert.Contains("not a valid DatasetKind (allowed: \"synthetic\", \"emopia\", \"vgmidi\", \"folder\", \"feedback\")", e.Message);
        var u = Assert.Throws<ExperimentSpecException>(() => ExperimentSpec.Parse(
            """{ "name": "x", "datset": {}, "models": [], "evaluations": [] }""", "s.json"));
        Assert.Contains("datset", u.Message);
    }

    [Theory]
    [InlineData("[]", "$", "expected a JSON object (an experiment:")]
    [InlineData("""{ "name": 5 }""", "$.name", "expected a string here")]
    [InlineData("""{ "name": "x", "models": {} }""", "$.models", "expected a JSON array [ … ] here")]
    [InlineData("""{ "name": "x", "dataset": [] }""", "$.dataset", "expected a JSON object { … }")]
    [InlineData("""{ "name": "x", "evaluations": [ { "scheme": "grouped-kfold", "folds": "two" } ] }""", "$.evaluations[0].folds", "expected a number here")]
    public void A_value_of_the_wrong_json_kind_says_what_kind_was_expected_and_where(string json, string path, string expected)
    {
        var e = Assert.Throws<ExperimentSpecException>(() => ExperimentSpec.Parse(json, "s.json"));
        Assert.Contains(expected, e.Message);
        Assert.Contains($"(at {path}, line 1)", e.Message);
        Assert.DoesNotContain("HarmoniousFeedback.Experiments", e.Message);
    }

    [Fact]
    public void Round_trips_through_json()
    {
        var spec = ExperimentSpec.Load(Path.Combine(TestPaths.RepoRoot, "experiments", "paper-table1-synthetic.json"));
        var again = ExperimentSpec.Parse(spec.ToJson());
        Assert.Equal(spec.ToJson(), again.ToJson());
    }
}
