namespace HarmoniousFeedback.Data;

/// <summary>Renderer recorded in a manifest.</summary>
public sealed record ManifestRenderer
{
    /// <summary>The renderer's name (<see cref="Midi.Rendering.IMidiRenderer.Name"/>, or the name clips carry in <see cref="ManifestClip.Renderer"/> when the manifest lists several).</summary>
    public required string Name { get; init; }
    /// <summary>The renderer's <see cref="Midi.Rendering.IMidiRenderer.CacheKey"/>: name, version and every option.</summary>
    public required string CacheKey { get; init; }
    public required int SampleRate { get; init; }
}
