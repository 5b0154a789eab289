using System.Text.Json;
using System.Text.Json.Serialization;
using HarmoniousFeedback.Pipeline.Views;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// The experiment-wide feature settings: the view single-view models read unless they name their own, the segmentation
/// and tail rule segment views use, the per-unit normalisation, and per-view parameters.
/// </summary>
public sealed record FeatureSpec
{
    /// <summary>
    /// The feature view a single-view model reads when its own entry names none (a registered view:
    /// <c>lld</c> — 50-dim segment descriptors, the LSTM reads the sequence, classical models its mean/std pooling —
    /// or <c>mfcc</c> — clip-level statistics of librosa-convention MFCCs, the scikit-learn reference features —
    /// or any view a method registers). A model can override it (<see cref="ModelSpec.Features"/>, <see cref="ModelSpec.Views"/>).
    /// </summary>
    public string Kind { get; init; } = "lld";
    public double SegmentSeconds { get; init; } = 3.0;
    public double Overlap { get; init; } = 0.0;
    /// <summary><c>minmax</c> (the method's choice, fitted on the training rows of each unit only) or <c>none</c>; applies to normalisable views.</summary>
    public string Normalization { get; init; } = "minmax";
    /// <summary>How to treat the near-silent release tail at the end of rendered clips: <c>trim</c>, <c>keep</c>.</summary>
    public string Tail { get; init; } = "trim";
    /// <summary>Parameters of individual views by view name, e.g. <c>{ "mfcc": { "nMfcc": 13 } }</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, Dictionary<string, JsonElement>>? Views { get; init; }

    /// <summary>The experiment-wide defaults every view starts from, at the dataset's <paramref name="sampleRate"/>.</summary>
    public ViewDefaults Defaults(int sampleRate) => new()
    {
        SampleRate = sampleRate,
        SegmentSeconds = SegmentSeconds,
        Overlap = Overlap,
        Tail = Tail == "keep" ? TailHandling.Keep : TailHandling.Trim,
    };

    internal void Validate(string at, List<string> p, FeatureViewRegistry views)
    {
        if (!views.TryGet(Kind, out _)) p.Add($"{at}.kind = '{Kind}' is not known (allowed: {string.Join(", ", views.Names)})");
        if (SegmentSeconds is < 0.5 or > 30) p.Add($"{at}.segmentSeconds = {SegmentSeconds} must be in [0.5, 30]");
        if (Overlap is < 0 or >= 1) p.Add($"{at}.overlap = {Overlap} must be in [0, 1)");
        if (Normalization is not ("minmax" or "none")) p.Add($"{at}.normalization = '{Normalization}' is not known (allowed: minmax, none)");
        if (Tail is not ("trim" or "keep")) p.Add($"{at}.tail = '{Tail}' is not known (allowed: trim, keep)");
        foreach (var name in Views?.Keys ?? Enumerable.Empty<string>())
            if (!views.TryGet(name, out _)) p.Add($"{at}.views.{name} is not a known feature view (allowed: {string.Join(", ", views.Names)})");
    }
}
