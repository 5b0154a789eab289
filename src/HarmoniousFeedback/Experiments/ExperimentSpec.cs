using System.Text.Json;
using System.Text.Json.Serialization;

using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Views;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// An experiment as a file (<c>experiments/*.json</c>): which data, which features, which models with which
/// hyperparameters, which evaluation scheme and seeds. <see cref="Load"/> validates everything (unknown names,
/// out-of-range values) before any work and reports every problem with its JSON path and the allowed values.
/// </summary>
public sealed record ExperimentSpec
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public required DatasetSpec Dataset { get; init; }
    public FeatureSpec Features { get; init; } = new();
    public required IReadOnlyList<ModelSpec> Models { get; init; }
    /// <summary>One or more evaluation schemes; each produces its own tables (e.g. EMOPIA's official split and grouped 2-fold CV).</summary>
    public required IReadOnlyList<EvaluationSpec> Evaluations { get; init; }

    /// <summary>
    /// The folder of the file the spec was read from (<see cref="Load"/>); relative paths in the spec (dataset sources)
    /// resolve from it. Null for a spec parsed from text: paths then resolve from <see cref="RunnerOptions.BaseDirectory"/>.
    /// </summary>
    [JsonIgnore]
    public string? Directory { get; init; }

    /// <summary>Optional second dataset to test on (train on <see cref="Dataset"/>, test here), for cross-dataset runs.</summary>
    public DatasetSpec? TestDataset { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        TypeInfoResolver = HarmoniousFeedback.IO.JsonDefaults.Resolver,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Reads and validates a spec file; errors name the file, the field and the allowed values.</summary>
    public static ExperimentSpec Load(string path, ModelRegistry? models = null, FeatureViewRegistry? views = null)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException e) { throw new ExperimentSpecException($"{path}: cannot read experiment file: {e.Message}"); }
        return Parse(text, path, models, views) with { Directory = Path.GetDirectoryName(Path.GetFullPath(path)) };
    }

    /// <summary>Parses and validates a spec (see <see cref="Validate"/>); errors name <paramref name="source"/>, the field and the allowed values.</summary>
    public static ExperimentSpec Parse(string json, string source = "experiment", ModelRegistry? models = null, FeatureViewRegistry? views = null)
    {
        ExperimentSpec? spec;
        try { spec = JsonSerializer.Deserialize<ExperimentSpec>(json, Json); }
        catch (JsonException e)
        {
            throw new ExperimentSpecException($"{source}: {Describe(e)} (at {e.Path ?? "$"}, line {e.LineNumber + 1})");
        }
        if (spec is null) throw new ExperimentSpecException($"{source}: the file is empty or 'null'");
        var problems = spec.Validate(models, views);
        if (problems.Count > 0) throw new ExperimentSpecException($"{source}: " + string.Join("; ", problems));
        return spec;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// System.Text.Json's message without its path suffix; for a value that is not one of an enum's names ("The JSON value
    /// could not be converted to HarmoniousFeedback.Experiments.DatasetKind") the names the spec accepts instead of the type.
    /// </summary>
    private static string Describe(JsonException e)
    {
        string message = e.Message.Split(" Path:")[0];
        const string marker = "could not be converted to ";
        int at = message.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return message;
        string typeName = message[(at + marker.Length)..].TrimEnd('.', ' ');
        var type = typeof(ExperimentSpec).Assembly.GetType(typeName) ?? Type.GetType(typeName);
        if (type is not null && Nullable.GetUnderlyingType(type) is { } inner) type = inner;
        if (type is null) return message;
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type).Select(n => '"' + JsonNamingPolicy.KebabCaseLower.ConvertName(n) + '"');
            return $"not a valid {type.Name} (allowed: {string.Join(", ", names)})";
        }
        return Expected(type) is { } expected ? $"expected {expected} here" : message;
    }

    /// <summary>What JSON a value of <paramref name="type"/> is written as, for a message ("a JSON object { … }", "a number", …), or null.</summary>
    private static string? Expected(Type type)
    {
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type.IsPrimitive || type == typeof(decimal)) return "a number";
        if (type == typeof(ExperimentSpec)) return "a JSON object (an experiment: { \"name\": …, \"dataset\": { … }, \"models\": [ … ], \"evaluations\": [ … ] })";
        if (type.IsArray || (type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) && !typeof(System.Collections.IDictionary).IsAssignableFrom(type)))
            return "a JSON array [ … ]";
        if (type.IsClass && type.Assembly == typeof(ExperimentSpec).Assembly) return $"a JSON object {{ … }} (a {type.Name})";
        return null;
    }

    /// <summary>
    /// Every problem in the spec (empty when valid): fields out of range, unknown model types or views, hyperparameters
    /// each model type rejects (every one, with its JSON path), views a model cannot read. Model types and views are
    /// looked up in <paramref name="models"/> / <paramref name="views"/> (default: the process-wide registries).
    /// </summary>
    public IReadOnlyList<string> Validate(ModelRegistry? models = null, FeatureViewRegistry? views = null)
    {
        models ??= ModelRegistry.Default;
        views ??= FeatureViewRegistry.Default;
        var p = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) p.Add("name must not be empty");
        Dataset.Validate("dataset", p);
        TestDataset?.Validate("testDataset", p);
        Features.Validate("features", p, views);
        if (Models.Count == 0) p.Add("models must list at least one model");
        else if (Models.Count == 1 && Dataset.Kind == DatasetKind.Feedback)
            p.Add("models lists one model; a teaching-feedback experiment compares models on macro-F1, so list at least two (e.g. add { \"name\": \"Majority\", \"type\": \"majority\" })");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Models.Count; i++)
        {
            Models[i].Validate($"models[{i}]", p);
            if (!names.Add(Models[i].Name)) p.Add($"models[{i}].name = '{Models[i].Name}' is used twice; model names must be unique");
        }
        ExperimentPlan.CheckModels(this, models, views, p);
        if (Evaluations.Count == 0) p.Add("evaluations must list at least one evaluation scheme");
        for (int i = 0; i < Evaluations.Count; i++)
        {
            Evaluations[i].Validate($"evaluations[{i}]", p, Dataset);
            if ((TestDataset is not null) != (Evaluations[i].Scheme == EvaluationScheme.TrainTest))
                p.Add($"evaluations[{i}].scheme = {Evaluations[i].Scheme}: train-test needs testDataset, and testDataset needs train-test");
        }
        return p.Distinct().ToList(); // a sweep repeats a model's problems once per grid point
    }
}
