using HarmoniousFeedback.Midi.Rendering;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// The renderers the teaching-feedback corpus knows by name:
/// <list type="bullet">
/// <item><c>builtin</c> — <see cref="PianoSynthesizer"/> with its default options;</item>
/// <item><c>builtin-upright</c> — <see cref="PianoSynthesizer"/> with <see cref="PianoSynthesizerOptions.Upright"/>, a second
/// pure-C# voicing, so a held-out-renderer evaluation runs on a machine with only the .NET SDK;</item>
/// <item><c>builtin-varied</c> — <see cref="VariedPianoSynthesizer"/>: the built-in synthesizer with a voicing drawn per
/// rendition around the default (timbre augmentation for training; <see cref="PianoSynthesizerOptions.Upright"/> lies
/// outside its family, so <c>builtin-upright</c> can still be held out as an unseen instrument);</item>
/// <item><c>fluidsynth</c> — <see cref="FluidSynthRenderer"/> with a SoundFont (default FluidR3_GM), the stronger
/// nuisance variable when installed (<c>apt-get install fluidsynth fluid-soundfont-gm</c>).</item>
/// </list>
/// </summary>
public static class FeedbackRenderers
{
    public const string Builtin = "builtin";
    public const string BuiltinUpright = "builtin-upright";
    public const string BuiltinVaried = "builtin-varied";
    public const string FluidSynth = "fluidsynth";

    /// <summary>Every known name.</summary>
    public static IReadOnlyList<string> Names { get; } = [Builtin, BuiltinUpright, BuiltinVaried, FluidSynth];

    /// <summary>The renderers of the embedded default corpus: both builtin voicings (no external program needed).</summary>
    public static IReadOnlyList<string> EmbeddedDefault { get; } = [Builtin, BuiltinUpright];

    /// <summary>
    /// Creates the renderer called <paramref name="name"/>; an unknown name raises <see cref="OptionsValidationException"/>,
    /// a missing FluidSynth or SoundFont <see cref="ExternalToolException"/> naming the Debian packages.
    /// </summary>
    public static NamedRenderer Create(string name, int sampleRate = 16_000, string? soundFont = null)
    {
        string n = name.Trim().ToLowerInvariant();
        return n switch
        {
            Builtin => new(n, new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = sampleRate })),
            BuiltinUpright => new(n, new PianoSynthesizer(PianoSynthesizerOptions.Upright with { SampleRate = sampleRate })),
            BuiltinVaried => new(n, new VariedPianoSynthesizer(new VariedPianoOptions { Base = new PianoSynthesizerOptions { SampleRate = sampleRate } })),
            FluidSynth => new(n, new FluidSynthRenderer(new FluidSynthOptions { SampleRate = sampleRate, SoundFont = soundFont ?? FluidSynthOptions.DefaultSoundFont })),
            _ => throw new OptionsValidationException("renderers", [$"renderer '{name}' is not one of {string.Join(", ", Names)}"]),
        };
    }

    /// <summary>
    /// Parses a comma-separated list ("builtin,fluidsynth") into renderers; at least two distinct names are needed so a
    /// renderer can be held out. Every problem is reported at once.
    /// </summary>
    public static IReadOnlyList<NamedRenderer> Parse(string list, int sampleRate = 16_000, string? soundFont = null)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).ToArray();
        var problems = new List<string>();
        foreach (var n in names.Where(n => !Names.Contains(n)).Distinct())
            problems.Add($"renderer '{n}' is not one of {string.Join(", ", Names)}");
        if (names.Distinct().Count() != names.Length) problems.Add($"renderers '{list}' name one renderer twice");
        if (names.Length < 2) problems.Add($"renderers '{list}' must name at least two renderers (one can then be held out), e.g. builtin,builtin-upright or builtin,fluidsynth");
        if (problems.Count > 0) throw new OptionsValidationException("renderers", problems);
        return names.Select(n => Create(n, sampleRate, soundFont)).ToArray();
    }
}
