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

    internal void Validate(string at, List<string> p)
    {
        if (MaxClipsPerClass is < 1) p.Add($"{at}.maxClipsPerClass = {MaxClipsPerClass} must be >= 1 or absent");
        if (Kind != DatasetKind.Synthetic && string.IsNullOrWhiteSpace(Source))
            p.Add($"{at}.source is required for kind {Kind.ToString().ToLowerInvariant()} (the dataset folder)");
        if (Kind == DatasetKind.Synthetic && (Clips < 8 || Clips > 100_000)) p.Add($"{at}.clips = {Clips} must be in [8, 100000]");
        if (Renderer is not ("builtin" or "fluidsynth")) p.Add($"{at}.renderer = '{Renderer}' is not known (allowed: builtin, fluidsynth)");
        if (SampleRate is < 8000 or > 96000) p.Add($"{at}.sampleRate = {SampleRate} must be in [8000, 96000]");
    }
}
