using HarmoniousFeedback.Midi.Rendering;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>A renderer with the short name clips carry in <see cref="Clip.Renderer"/> ("builtin", "builtin-upright", "builtin-varied", "fluidsynth").</summary>
public sealed record NamedRenderer(string Name, IMidiRenderer Renderer);
