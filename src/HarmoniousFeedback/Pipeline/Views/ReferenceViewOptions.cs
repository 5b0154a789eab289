using HarmoniousFeedback.Features;
using HarmoniousFeedback.Midi.Rendering;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// Options shared by the views that compare a performance with its reference (<c>reference-logmel</c>,
/// <c>alignment</c>, <c>score-aligned</c>): the log-mel (must equal the <c>logmel</c> view's so the rows align), where the
/// reference comes from and, for a score, which renderer plays it, and the alignment's chroma and step penalty.
/// </summary>
public sealed record ReferenceViewOptions
{
    public LogMelViewOptions LogMel { get; init; } = new();
    /// <summary>Default <see cref="ReferenceSource.Score"/>: the score rendered by <see cref="Renderer"/>, so training and <c>hfb feedback</c> compare with the same kind of reference.</summary>
    public ReferenceSource Reference { get; init; } = ReferenceSource.Score;
    /// <summary>Renderer of the score: <c>builtin</c> (default; needs nothing) or <c>fluidsynth</c>.</summary>
    public string Renderer { get; init; } = "builtin";
    public int ChromaNFft { get; init; } = 2048;
    public double StepPenalty { get; init; } = new ReferenceAlignmentOptions().StepPenalty;
    /// <summary>The pitch-class profile of the alignment (<see cref="ReferenceAlignmentOptions.PitchProfile"/>): chroma (default) or crp.</summary>
    public PitchProfile PitchProfile { get; init; } = PitchProfile.Chroma;
    /// <summary>Trailing-tail trim of the path in dB (<see cref="ReferenceAlignmentOptions.TailDb"/>); null = off.</summary>
    public double? TailDb { get; init; }

    /// <summary>The renderers a score can be played with.</summary>
    public static IReadOnlyList<string> Renderers { get; } = ["builtin", "fluidsynth"];

    public ReferenceAlignmentOptions ToAlignmentOptions() => new() { LogMel = LogMel.ToLogMelOptions(), ChromaNFft = ChromaNFft, StepPenalty = StepPenalty, PitchProfile = PitchProfile, TailDb = TailDb };

    /// <summary>The renderer named <see cref="Renderer"/> at the log-mel's sample rate.</summary>
    public IMidiRenderer CreateRenderer() => Renderer switch
    {
        "fluidsynth" => new FluidSynthRenderer(new FluidSynthOptions { SampleRate = LogMel.SampleRate }),
        _ => new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = LogMel.SampleRate }),
    };

    public static ReferenceViewOptions Read(ParameterReader p, int sampleRate)
    {
        var d = new ReferenceViewOptions();
        return d with
        {
            LogMel = LogMelViewOptions.Read(p, sampleRate),
            Reference = p.Enum("reference", d.Reference, "what the performance is compared with: the clip's score rendered by 'renderer', or the reference audio the dataset gives"),
            Renderer = p.Choice("renderer", d.Renderer, Renderers, "renderer of the score when reference = score"),
            ChromaNFft = p.Int("chromaNFft", d.ChromaNFft, "FFT size of the chroma the DTW path is found on", 256, 16384),
            StepPenalty = p.Double("stepPenalty", d.StepPenalty, "DTW penalty on a non-diagonal step (cosine-distance units)", 0, 10),
            TailDb = p.NullableDouble("tailDb", d.TailDb, "align each recording only up to its last frame within this many dB of its loudest (release/reverb tails differ between instruments); null = whole recordings", 1, 120),
            PitchProfile = p.Enum("pitchProfile", d.PitchProfile, "pitch-class profile of the alignment: chroma (librosa chroma_stft) or crp (timbre-reduced, Müller & Ewert 2010)"),
        };
    }
}
