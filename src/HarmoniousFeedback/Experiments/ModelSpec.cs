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
    /// <summary>A registered model type (<c>hfb models</c> lists them: lstm, svm, lda, logreg, …).</summary>
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
    /// The views this model reads: <see cref="Views"/>, else <see cref="Features"/>, else — for a type that reads one
    /// view — the experiment's <c>features.kind</c>, else the type's defaults.
    /// </summary>
    public IReadOnlyList<string> ViewNames(string experimentKind, ConfiguredModel model) =>
        Views ?? (Features is { } f ? [f] : model.DefaultViews.Count == 1 ? [experimentKind] : model.DefaultViews);

    /// <summary>The single feature kind of a one-view model (<c>lld</c>, <c>mfcc</c>, …) in an experiment whose <c>features.kind</c> is <paramref name="experimentKind"/>.</summary>
    public string FeatureKind(string experimentKind) => Views is { Count: > 0 } v ? v[0] : Features ?? experimentKind;

    internal void Validate(string at, List<string> p)
    {
        if (string.IsNullOrWhiteSpace(Name)) p.Add($"{at}.name must not be empty");
        if (Features is not null && Views is not null) p.Add($"{at} ('{Name}'): give either \"features\" or \"views\", not both");
        if (Views is { Count: 0 }) p.Add($"{at}.views must name at least one feature view");
    }
}
