using System.Text.Json.Serialization;

namespace HarmoniousFeedback.Experiments;

/// <summary>Where the clips come from and how MIDI is rendered.</summary>
public sealed record DatasetSpec
{
    public required DatasetKind Kind { get; init; }
    /// <summary>Dataset folder (emopia/vgmidi/folder); relative paths are relative to the repository/working directory.</summary>
    public string? Source { get; init; }
    /// <summary>Synthetic corpus size.</summary>
    public int Clips { get; init; } = 400;
    public int Seed { get; init; } = 1;
    /// <summary><c>builtin</c> (default, needs nothing) or <c>fluidsynth</c>.</summary>
    public string Renderer { get; init; } = "builtin";
    public int SampleRate { get; init; } = 16000;
    /// <summary>Keep at most this many clips per class (a deterministic subset: clips sorted by id, whole songs kept
    /// together, first songs first) — for quick looks and notebooks; null = every clip.</summary>
    public int? MaxClipsPerClass { get; init; }

    /// <summary>Feedback corpus: comma-separated renderers, every rendition rendered by each (<c>builtin</c>,
    /// <c>builtin-upright</c>, <c>fluidsynth</c>); null = <c>builtin,builtin-upright</c> for the synthetic source,
    /// <c>builtin,fluidsynth</c> for a folder (as <c>hfb data prepare feedback</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Renderers { get; init; }

    /// <summary>Feedback corpus: student renditions per reference piece (the first is clean); null = 6.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Renditions { get; init; }

    /// <summary>Feedback corpus: at most this many source pieces (the synthetic source generates this many; null = 40 synthetic, every piece of a folder).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxPieces { get; init; }

    /// <summary>Feedback corpus: the reference excerpt length in seconds; null = 6.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ExcerptSeconds { get; init; }

    /// <summary>True for a feedback corpus built from the embedded synthetic pieces (no source or <c>"synthetic"</c>).</summary>
    [JsonIgnore]
    public bool SyntheticFeedback => Kind == DatasetKind.Feedback && (string.IsNullOrWhiteSpace(Source) || Source.Trim().Equals("synthetic", StringComparison.OrdinalIgnoreCase));

    /// <summary>The renderer list of a feedback corpus (<see cref="Renderers"/> or its default).</summary>
    [JsonIgnore]
    public string FeedbackRenderers => Renderers ?? (SyntheticFeedback ? "builtin,builtin-upright" : "builtin,fluidsynth");

    internal void Validate(string at, List<string> p)
    {
        if (MaxClipsPerClass is < 1) p.Add($"{at}.maxClipsPerClass = {MaxClipsPerClass} must be >= 1 or absent");
        if (Kind is not (DatasetKind.Synthetic or DatasetKind.Feedback) && string.IsNullOrWhiteSpace(Source))
            p.Add($"{at}.source is required for kind {Kind.ToString().ToLowerInvariant()} (the dataset folder)");
        if (Kind == DatasetKind.Synthetic && (Clips < 8 || Clips > 100_000)) p.Add($"{at}.clips = {Clips} must be in [8, 100000]");
        if (Renderer is not ("builtin" or "fluidsynth")) p.Add($"{at}.renderer = '{Renderer}' is not known (allowed: builtin, fluidsynth)");
        if (SampleRate is < 8000 or > 96000) p.Add($"{at}.sampleRate = {SampleRate} must be in [8000, 96000]");
        if (Kind != DatasetKind.Feedback)
        {
            foreach (var (name, set) in new[] { ("renderers", Renderers is not null), ("renditions", Renditions is not null), ("maxPieces", MaxPieces is not null), ("excerptSeconds", ExcerptSeconds is not null) })
                if (set) p.Add($"{at}.{name} applies only to kind feedback (the teaching-feedback corpus)");
            return;
        }
        if (MaxClipsPerClass is not null) p.Add($"{at}.maxClipsPerClass does not apply to kind feedback (use maxPieces)");
        var names = FeedbackRenderers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var n in names.Where(n => !Data.TeachingFeedback.FeedbackRenderers.Names.Contains(n)))
            p.Add($"{at}.renderers: '{n}' is not a renderer (allowed: {string.Join(", ", Data.TeachingFeedback.FeedbackRenderers.Names)})");
        if (names.Length < 2 || names.Distinct().Count() != names.Length) p.Add($"{at}.renderers = '{FeedbackRenderers}' must name two or more different renderers (one can then be held out)");
        if (Renditions is < 1 or > 64) p.Add($"{at}.renditions = {Renditions} must be in [1, 64]");
        if (MaxPieces is < 2) p.Add($"{at}.maxPieces = {MaxPieces} must be >= 2 (pieces are grouped for cross-validation)");
        if (ExcerptSeconds is < 2 or > 60) p.Add($"{at}.excerptSeconds = {ExcerptSeconds} must be in [2, 60]");
    }
}
