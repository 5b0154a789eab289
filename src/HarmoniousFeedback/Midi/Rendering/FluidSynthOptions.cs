namespace HarmoniousFeedback.Midi.Rendering;

/// <summary>Options of <see cref="FluidSynthRenderer"/>.</summary>
public sealed record FluidSynthOptions
{
    /// <summary>The Debian/Ubuntu General MIDI SoundFont (package <c>fluid-soundfont-gm</c>).</summary>
    public const string DefaultSoundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

    /// <summary>Output sample rate in Hz (<c>-r</c>), 8,000 – 192,000. Default 16,000.</summary>
    public int SampleRate { get; init; } = 16_000;

    /// <summary>Synthesizer gain (<c>-g</c>), 0 – 10. FluidSynth's default 0.2 is quiet; 0.5 leaves headroom for dense piano.</summary>
    public double Gain { get; init; } = 0.5;

    /// <summary>SoundFont (.sf2) path. Default <see cref="DefaultSoundFont"/>.</summary>
    public string SoundFont { get; init; } = DefaultSoundFont;

    /// <summary>The fluidsynth executable (a name looked up on PATH, or a path). Default "fluidsynth".</summary>
    public string Executable { get; init; } = "fluidsynth";

    /// <summary>Kill fluidsynth after this many seconds per file (1 – 3600). Default 300.</summary>
    public double TimeoutSeconds { get; init; } = 300;

    public void Validate()
    {
        var v = new OptionsValidator(nameof(FluidSynthOptions));
        v.InRange(nameof(SampleRate), SampleRate, 8000, 192000);
        v.InRange(nameof(Gain), Gain, 0, 10);
        v.Check(!string.IsNullOrWhiteSpace(SoundFont), $"{nameof(SoundFont)} must name a .sf2 file");
        v.Check(!string.IsNullOrWhiteSpace(Executable), $"{nameof(Executable)} must name the fluidsynth program");
        v.InRange(nameof(TimeoutSeconds), TimeoutSeconds, 1, 3600);
        v.ThrowIfAny();
    }
}
