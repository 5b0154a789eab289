namespace HarmoniousFeedback.Data;

/// <summary>Renderer recorded in a manifest.</summary>
public sealed record ManifestRenderer
{
    public required string Name { get; init; }
    /// <summary>The renderer's <see cref="Midi.Rendering.IMidiRenderer.CacheKey"/>: name, version and every option.</summary>
    public required string CacheKey { get; init; }
    public required int SampleRate { get; init; }
}
