using System.Text.Json;
using HarmoniousFeedback.Pipeline.Registry;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline.Registry;

public class ParameterReaderTests
{
    private static Dictionary<string, JsonElement> Json(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    private enum Mode { Fast, SlowAndSteady }

    [Fact]
    public void Values_are_read_with_defaults_for_absent_names()
    {
        var p = new ParameterReader(Json("""{ "n": 3, "x": 0.5, "flag": true, "mode": "SlowAndSteady", "pick": "B" }"""), "params", "a test model");
        Assert.Equal(3, p.Int("n", 1, "n"));
        Assert.Equal(0.5, p.Double("x", 1, "x"));
        Assert.True(p.Bool("flag", false, "flag"));
        Assert.Equal(Mode.SlowAndSteady, p.Enum("mode", Mode.Fast, "mode"));
        Assert.Equal("b", p.Choice("pick", "a", ["a", "b"], "pick"));
        Assert.Equal(7, p.Int("absent", 7, "absent"));
        Assert.Null(p.NullableInt("none", null, "none"));
        p.ThrowIfProblems();
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_path_value_and_allowed_values()
    {
        var p = new ParameterReader(Json("""{ "n": 2.5, "x": "big", "pick": "z", "lr": -1, "typo": 1 }"""), "models[3].params", "a test model");
        p.Int("n", 1, "n");
        p.Double("x", 1, "x");
        p.Choice("pick", "a", ["a", "b"], "pick");
        p.Double("lr", 0.1, "learning rate", min: 0);
        var e = Assert.Throws<OptionsValidationException>(p.ThrowIfProblems);
        Assert.Equal(5, e.Problems.Count);
        Assert.Contains("models[3].params.n = 2.5 must be an integer", e.Problems);
        Assert.Contains("models[3].params.x = big must be a number", e.Problems);
        Assert.Contains("models[3].params.pick = 'z' is not allowed (allowed: a, b)", e.Problems);
        Assert.Contains("models[3].params.lr = -1 must be in [0, ∞)", e.Problems);
        Assert.Contains("models[3].params.typo is not a parameter of a test model (allowed: n, x, pick, lr)", e.Problems);
    }

    [Fact]
    public void Explicit_null_selects_null_for_nullable_parameters_and_custom_parsers_see_it()
    {
        var p = new ParameterReader(Json("""{ "patience": null, "g": null }"""), "params", "m");
        Assert.Null(p.NullableInt("patience", 5, "patience"));
        static bool NullOrNumber(JsonElement e, out double? v)
        {
            v = e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
            return e.ValueKind is JsonValueKind.Null or JsonValueKind.Number;
        }
        Assert.Null(p.Custom("g", (double?)1.0, "number or null", "1", "null or a number", "g", NullOrNumber));
        p.ThrowIfProblems();
    }

    [Fact]
    public void Describe_records_each_parameter_once_with_type_default_and_range()
    {
        var d = ParameterReader.Describe("a test model");
        d.Int("layers", 2, "stacked layers", 1, 3);
        d.Double("lr", 0.001, "learning rate");
        d.Int("layers", 2, "read twice");
        Assert.Equal(2, d.Declared.Count);
        Assert.Equal(new ParameterInfo("layers", "integer", "2", "[1, 3]", "stacked layers"), d.Declared[0]);
        Assert.Null(d.Declared[1].Allowed);
    }

    [Fact]
    public void Cli_pairs_become_json_numbers_booleans_nulls_or_strings()
    {
        var d = ParameterReader.ParsePairs(["c=10", "gamma=scale", "probability=true", "shrinkage=null", "tol=1e-4"], "--param");
        Assert.Equal(JsonValueKind.Number, d["c"].ValueKind);
        Assert.Equal("scale", d["gamma"].GetString());
        Assert.Equal(JsonValueKind.True, d["probability"].ValueKind);
        Assert.Equal(JsonValueKind.Null, d["shrinkage"].ValueKind);
        Assert.Equal(1e-4, d["tol"].GetDouble());
        var e = Assert.Throws<OptionsValidationException>(() => ParameterReader.ParsePairs(["novalue"], "--param"));
        Assert.Contains("--param 'novalue' must look like name=value", e.Problems);
    }
}
