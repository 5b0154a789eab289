using System.Text.Json;
using System.Text.Json.Serialization;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// One model row of an experiment: its display name, its registered type (<see cref="ModelRegistry"/>), its
/// hyperparameters (validated by the type) and, optionally, the feature views it reads.
/// </summary>
public sealed record ModelSpec
{
    public required string Name { get; init; }
    /// <summary>A registered model type (<c>hfb model list</c> lists them: lstm, svm, lda, logreg, …).</summary>
    public required string Type { get; init; }
    /// <summary>Hyperparameters by name (PyTorch/sklearn names, e.g. <c>layers</c>, <c>hidden</c>, <c>lr</c>, <c>c</c>, <c>gamma</c>).</summary>
    public Dictionary<string, JsonElement> Params { get; init; } = new();
    /// <summary>The one view this model reads (shorthand for <c>"views": ["…"]</c>); null = the experiment's <c>features.kind</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Features { get; init; }
    /// <summary>The views a (multi-input) model reads, in order; null = <see cref="Features"/> or the model type's defaults.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Views { get; init; }

    /// <summary>
    /// A parameter sweep: each parameter's values (JSON arrays); the plan expands the model into one row per combination
    /// (cartesian product, in the order written), named <c>Name (p=v, …)</c>. Null = no sweep.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, JsonElement[]>? Grid { get; init; }

    /// <summary>Training seeds: the plan repeats the model (each grid point) once per seed, named <c>… seed=s</c>; summaries pool them. Null = one run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? Seeds { get; init; }

    /// <summary>
    /// The views this model reads: <see cref="Views"/>, else <see cref="Features"/>, else — for a type that reads one
    /// view — the experiment's <c>features.kind</c>, else the type's defaults.
    /// </summary>
    public IReadOnlyList<string> ViewNames(string experimentKind, ConfiguredModel model) =>
        Views ?? (Features is { } f ? [f] : model.DefaultViews.Count == 1 ? [experimentKind] : model.DefaultViews);

    /// <summary>The single feature kind of a one-view model (<c>lld</c>, <c>mfcc</c>, …) in an experiment whose <c>features.kind</c> is <paramref name="experimentKind"/>.</summary>
    public string FeatureKind(string experimentKind) => Views is { Count: > 0 } v ? v[0] : Features ?? experimentKind;

    /// <summary>
    /// The rows this entry stands for: itself, or one per grid point × seed with the grid values merged into
    /// <see cref="Params"/>, named <c>Name (c=10, gamma=scale, seed=2)</c>, and the sweep coordinates of each.
    /// </summary>
    public IReadOnlyList<(ModelSpec Spec, IReadOnlyList<KeyValuePair<string, string>> Point, int? Seed)> Expand()
    {
        if (Grid is null && Seeds is null) return [(this, [], null)];
        IEnumerable<List<KeyValuePair<string, JsonElement>>> points = [[]];
        foreach (var (k, values) in Grid ?? [])
            points = points.SelectMany(pt => values.Select(v => new List<KeyValuePair<string, JsonElement>>(pt) { new(k, v) }));
        var rows = new List<(ModelSpec, IReadOnlyList<KeyValuePair<string, string>>, int?)>();
        foreach (var pt in points)
            foreach (var seed in Seeds?.Select(s => (int?)s) ?? [null])
            {
                var parameters = new Dictionary<string, JsonElement>(Params);
                foreach (var (k, v) in pt) parameters[k] = v;
                var labels = pt.Select(kv => $"{kv.Key}={(kv.Value.ValueKind == JsonValueKind.String ? kv.Value.GetString() : kv.Value.GetRawText())}").ToList();
                if (seed is int sd) labels.Add($"seed={sd}");
                var coordinates = pt.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.ValueKind == JsonValueKind.String ? kv.Value.GetString()! : kv.Value.GetRawText())).ToArray();
                rows.Add((this with { Name = $"{Name} ({string.Join(", ", labels)})", Params = parameters, Grid = null, Seeds = null }, coordinates, seed));
            }
        return rows;
    }

    internal void Validate(string at, List<string> p)
    {
        if (string.IsNullOrWhiteSpace(Name)) p.Add($"{at}.name must not be empty");
        if (Features is not null && Views is not null) p.Add($"{at} ('{Name}'): give either \"features\" or \"views\", not both");
        if (Views is { Count: 0 }) p.Add($"{at}.views must name at least one feature view");
        foreach (var (k, values) in Grid ?? [])
        {
            if (values.Length == 0) p.Add($"{at}.grid.{k} must list at least one value");
            if (Params.ContainsKey(k)) p.Add($"{at}.grid.{k} is also set in params; give it in one place");
        }
        if (Seeds is { Count: 0 }) p.Add($"{at}.seeds must list at least one seed");
        if (Seeds is not null && Seeds.Distinct().Count() != Seeds.Count) p.Add($"{at}.seeds lists a seed twice");
        if ((Grid?.Values.Aggregate(1L, (n, v) => n * Math.Max(1, v.Length)) ?? 1) * (Seeds?.Count ?? 1) > 10_000)
            p.Add($"{at}: the sweep expands to more than 10000 models");
    }
}
