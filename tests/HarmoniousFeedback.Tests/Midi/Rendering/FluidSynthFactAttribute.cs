using HarmoniousFeedback.Midi.Rendering;
using Xunit;

namespace HarmoniousFeedback.Tests.Midi.Rendering;

/// <summary>A fact that needs the fluidsynth program and the GM SoundFont; skipped visibly when they are missing.</summary>
public sealed class FluidSynthFactAttribute : FactAttribute
{
    public FluidSynthFactAttribute()
    {
        bool program = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "fluidsynth")));
        if (!program || !File.Exists(FluidSynthOptions.DefaultSoundFont))
            Skip = $"needs fluidsynth and {FluidSynthOptions.DefaultSoundFont} (apt-get install fluidsynth fluid-soundfont-gm)";
    }
}
